// The convolution layers' loops (src/backend/image-ops.ts has the contracts): im2col and
// col2im, max pooling, ReLU, bias-gradient row sums and batched transposes. Each gives
// exactly the results of the TypeScript loops in src/backend/host-image-ops.ts, bit for bit
// and on any thread count: work is shared out only by independent outputs, every sum
// keeps the loops' order, and the arithmetic is IEEE (subnormals kept, unlike the products).
#pragma once
#include <cstdint>

namespace sayre {

// One sample's convolution window (ImageOps.PatchGeometry).
struct PatchGeometry {
  int C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo, width;
};

// A batch's pooling window (ImageOps.PoolGeometry): per-sample real input and output widths.
struct PoolGeometry {
  int B, C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo;
  const int32_t* widths;
  const int32_t* outWidths;
};

void im2col(const PatchGeometry& g, const float* img, float* cols);
void col2im(const PatchGeometry& g, const float* cols, float* img);
void maxPoolForward(const PoolGeometry& g, const float* x, float* y);
void maxPoolBackward(const PoolGeometry& g, const float* x, const float* dy, float* dx);
void reluForward(long n, const float* x, float* y);
void reluBackward(long n, const float* y, const float* dy, float* dx);
void addRowSums(int rows, int cols, const float* a, float* out);
void transposeBatch(int batch, int rows, int cols, const float* src, float* dst);

}  // namespace sayre
