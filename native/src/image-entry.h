// N-API entry points of the image kernels (image.h).
#pragma once
#include <node_api.h>

namespace sayre {

// Adds im2col, col2im, maxPoolForward, maxPoolBackward, reluForward, reluBackward,
// addRowSums and transposeBatch to the module's exports.
void defineImageEntries(napi_env env, napi_value exports);

}  // namespace sayre
