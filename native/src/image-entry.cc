// N-API entry points of the image kernels: each reads its arguments by the kernel's own
// parameter types (one JavaScript argument per parameter) and calls it, so the table at
// the end is the whole list. Geometries arrive packed in Int32Arrays, in the field order
// of image.h's structs, a pool's per-sample widths after its fields
// (src/backend/native/native-image-ops.ts packs them). These kernels run in IEEE mode (no
// FlushSubnormals): their results must equal the TypeScript loops', which keep subnormals.
#include "image-entry.h"

#include <tuple>
#include <utility>

#include "args.h"
#include "image.h"

namespace sayre {
namespace {

constexpr size_t kPatchFields = 12, kPoolFields = 12;

// Argument i read as a kernel parameter of type T.
template <class T>
T read(Args& x, size_t i);

template <>
int read<int>(Args& x, size_t i) {
  return x.i32(i);
}

template <>
long read<long>(Args& x, size_t i) {
  return static_cast<long>(x.f64(i));
}

template <>
const float* read<const float*>(Args& x, size_t i) {
  return x.floats(i);
}

template <>
float* read<float*>(Args& x, size_t i) {
  return x.floats(i);
}

template <>
PatchGeometry read<PatchGeometry>(Args& x, size_t i) {
  const int32_t* v = x.ints(i, kPatchFields);
  if (!v) return {};
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
}

// [B, C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo, widths (B), outWidths (B)]
template <>
PoolGeometry read<PoolGeometry>(Args& x, size_t i) {
  const int32_t* v = x.ints(i, kPoolFields);
  if (!v) return {};
  const size_t B = v[0] < 0 ? 0 : static_cast<size_t>(v[0]);
  if (!x.ints(i, kPoolFields + 2 * B)) return {};
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v + kPoolFields, v + kPoolFields + B};
}

template <class... P, size_t... I>
void callWith(void (*kernel)(P...), Args& x, std::index_sequence<I...>) {
  // A braced list is read left to right, so a bad argument is reported first come.
  std::tuple<std::decay_t<P>...> values{read<std::decay_t<P>>(x, I)...};
  if (x.ok) std::apply(kernel, values);
}

template <class... P>
constexpr size_t arity(void (*)(P...)) {
  return sizeof...(P);
}

// The entry point of `kernel`: its arguments read in order, then the call.
template <auto kernel>
napi_value entry(napi_env env, napi_callback_info info) {
  Args x(env, info);
  callWith(kernel, x, std::make_index_sequence<arity(kernel)>{});
  return nullptr;
}

}  // namespace

void defineImageEntries(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"im2col", nullptr, entry<im2col>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, entry<col2im>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolForward", nullptr, entry<maxPoolForward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolBackward", nullptr, entry<maxPoolBackward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluForward", nullptr, entry<reluForward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBackward", nullptr, entry<reluBackward>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addRowSums", nullptr, entry<addRowSums>, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"transposeBatch", nullptr, entry<transposeBatch>, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}

}  // namespace sayre
