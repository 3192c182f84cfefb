// The image kernels (contracts in image.h), loop for loop the TypeScript of
// src/backend/host-image-ops.ts. Work goes to the pool by independent outputs only (rows
// of cols, channels, planes, rows of sums, blocks of elements), and only when there is
// enough of it to pay for waking the pool.
#include "image.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "pool.h"
#include "subnormals.h"

namespace sayre {
namespace {

// Below this many elements of work a call stays on the calling thread: waking the pool
// costs a few microseconds, about what a core copies or compares in this many.
constexpr long kMinShared = 1L << 15;
// Elements per piece of the flat loops (ReLU).
constexpr long kBlock = 1L << 14;

// body(lo, hi) over [0, count) in contiguous ranges, on the pool when `count` items of
// `cost` elements each are worth it. Each range runs in IEEE mode: the workers otherwise
// flush subnormals (for the products), which would change comparisons and sums here.
void shareOut(long count, long cost, const std::function<void(long, long)>& body) {
  const int threads = poolThreads();
  if (threads <= 1 || count <= 1 || count * cost < kMinShared) {
    body(0, count);
    return;
  }
  const int chunks = static_cast<int>(std::min<long>(count, 4L * threads));
  parallelFor(chunks, [&](int t) {
    IeeeArithmetic ieee;
    body(count * t / chunks, count * (t + 1) / chunks);
  });
}

// ceil(a / b) for b > 0 and a of either sign (Math.ceil of the quotient).
inline int ceilDiv(int a, int b) { return a >= 0 ? (a + b - 1) / b : -(-a / b); }

// The output columns [lo, hi) at which kernel column j reads a real input column
// ox*sw - pw + j in [0, width): one range (the rest read as zero).
inline void realColumns(const PatchGeometry& g, int j, int& lo, int& hi) {
  lo = std::min(g.Wo, std::max(0, ceilDiv(g.pw - j, g.sw)));
  hi = std::max(lo, std::min(g.Wo, ceilDiv(g.width + g.pw - j, g.sw)));
}

// Row k = (c*kh + i)*kw + j of im2col's cols: the input row oy*sh - ph + i of channel c,
// shifted by j - pw, for every output row.
void im2colRow(const PatchGeometry& g, int k, const float* img, float* cols) {
  const int c = k / (g.kh * g.kw), i = k / g.kw % g.kh, j = k % g.kw;
  int lo, hi;
  realColumns(g, j, lo, hi);
  float* row = cols + static_cast<long>(k) * g.Ho * g.Wo;
  for (int oy = 0; oy < g.Ho; oy++) {
    float* o = row + static_cast<long>(oy) * g.Wo;
    const int y = oy * g.sh - g.ph + i;
    if (y < 0 || y >= g.H) {
      std::memset(o, 0, sizeof(float) * g.Wo);
      continue;
    }
    // Input column of output column ox: at + ox*sw (at itself may lie left of the row).
    const long at = (static_cast<long>(c) * g.H + y) * g.W - g.pw + j;
    std::memset(o, 0, sizeof(float) * lo);
    if (g.sw == 1) std::memcpy(o + lo, img + at + lo, sizeof(float) * (hi - lo));
    else
      for (int ox = lo; ox < hi; ox++) o[ox] = img[at + static_cast<long>(ox) * g.sw];
    std::memset(o + hi, 0, sizeof(float) * (g.Wo - hi));
  }
}

// col2im's sums into channel c: the same places as im2colRow, kernel rows i then columns
// j then output rows in order, as the TypeScript loop adds them.
void col2imChannel(const PatchGeometry& g, int c, const float* cols, float* img) {
  for (int i = 0; i < g.kh; i++) {
    for (int j = 0; j < g.kw; j++) {
      int lo, hi;
      realColumns(g, j, lo, hi);
      const float* row = cols + static_cast<long>((c * g.kh + i) * g.kw + j) * g.Ho * g.Wo;
      for (int oy = 0; oy < g.Ho; oy++) {
        const int y = oy * g.sh - g.ph + i;
        if (y < 0 || y >= g.H) continue;
        const float* o = row + static_cast<long>(oy) * g.Wo;
        const long at = (static_cast<long>(c) * g.H + y) * g.W - g.pw + j;
        for (int ox = lo; ox < hi; ox++) img[at + static_cast<long>(ox) * g.sw] += o[ox];
      }
    }
  }
}

// floor(a / b) for b > 0 and a of either sign.
inline int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// One output row's windows: for each ox < wo (the sample's real output width), best[ox] is
// the window's maximum over real columns and, with kIndex, at[ox] its index in the plane
// (the first on ties, as the loops' `v > best` keeps it; a NaN wins only as a window's
// first value). An empty window gets at[ox] = -1, or without kIndex best[ox] = 0 (the
// forward's output for it); at is unused without kIndex.
//
// Windows that lie wholly on real columns (all of them, in a CRNN) are done a window
// position at a time across the row, which vectorises; the others one at a time. Either
// way each window sees its values in the loops' order (rows, then columns), and
// branch-free: which value wins is data, and mispredicted branches cost more than the
// comparisons.
template <bool kIndex>
void rowWindows(const PoolGeometry& g, const float* plane, int wb, int wo, int oy, float* best, int32_t* at) {
  const int y0 = std::max(0, oy * g.sh - g.ph), y1 = std::min(g.H, oy * g.sh - g.ph + g.kh);
  // Interior windows [a, e): columns ox*sw - pw + [0, kw) within [0, wb).
  const int e0 = std::min(wo, floorDiv(wb + g.pw - g.kw, g.sw) + 1);
  const int a = std::min(wo, ceilDiv(g.pw, g.sw)), e = std::max(a, e0);
  auto edge = [&](int ox) {
    const int x0 = std::max(0, ox * g.sw - g.pw), x1 = std::min(wb, ox * g.sw - g.pw + g.kw);
    if (y0 >= y1 || x0 >= x1) {
      if (kIndex) at[ox] = -1;
      else best[ox] = 0.0f;
      return;
    }
    int32_t w = y0 * g.W + x0;  // the first value starts as the best
    float m = plane[w];
    for (int yy = y0; yy < y1; yy++) {
      for (int xx = x0; xx < x1; xx++) {
        const int32_t i = yy * g.W + xx;
        const bool take = plane[i] > m;
        m = take ? plane[i] : m;
        w = take ? i : w;
      }
    }
    best[ox] = m;
    if (kIndex) at[ox] = w;
  };
  for (int ox = 0; ox < a; ox++) edge(ox);
  for (int ox = e; ox < wo; ox++) edge(ox);
  if (a == e) return;
  if (y0 >= y1) {
    if (kIndex) std::fill(at + a, at + e, -1);
    else std::fill(best + a, best + e, 0.0f);
    return;
  }
  // Column ox*sw - pw + xx of row yy; indices into one plane fit 31 bits (8 GiB a plane).
  const int sw = g.sw, pw = g.pw;
  {
    const float* r = plane + static_cast<long>(y0) * g.W;
    const int32_t i0 = y0 * g.W - pw;
    for (int ox = a; ox < e; ox++) best[ox] = r[ox * sw - pw];
    if (kIndex)
      for (int ox = a; ox < e; ox++) at[ox] = i0 + ox * sw;
  }
  for (int yy = y0; yy < y1; yy++) {
    for (int xx = yy == y0 ? 1 : 0; xx < g.kw; xx++) {
      const float* __restrict r = plane + static_cast<long>(yy) * g.W + xx;
      float* __restrict bo = best;
      const int32_t i0 = yy * g.W + xx - pw;
      if (kIndex) {
        int32_t* __restrict ao = at;
        for (int ox = a; ox < e; ox++) {
          // The index is chosen by a mask: GCC does not vectorise `take ? i : w` here.
          const float v = r[ox * sw - pw], m = bo[ox];
          const int32_t take = -static_cast<int32_t>(v > m);
          bo[ox] = v > m ? v : m;
          ao[ox] = (ao[ox] & ~take) | ((i0 + ox * sw) & take);
        }
      } else {
        for (int ox = a; ox < e; ox++) {
          const float v = r[ox * sw - pw], m = bo[ox];
          bo[ox] = v > m ? v : m;
        }
      }
    }
  }
}

// ReLU's loops over [lo, hi), in place or between distinct arrays: each form is written
// with restrict pointers so that it vectorises (a possible overlap would keep it scalar).
void reluRange(float* __restrict y, long lo, long hi) {
  for (long i = lo; i < hi; i++) y[i] = y[i] > 0.0f ? y[i] : 0.0f;  // NaN and -0 give +0
}
void reluRange(const float* __restrict x, float* __restrict y, long lo, long hi) {
  for (long i = lo; i < hi; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
void reluBackRange(const float* __restrict y, float* __restrict d, long lo, long hi) {
  for (long i = lo; i < hi; i++) d[i] = y[i] > 0.0f ? d[i] : 0.0f;
}
void reluBackRange(const float* __restrict y, const float* __restrict dy, float* __restrict dx, long lo, long hi) {
  for (long i = lo; i < hi; i++) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

// body(lo, hi) over element ranges of [0, n), in blocks of kBlock shared out.
void shareElements(long n, const std::function<void(long, long)>& body) {
  shareOut((n + kBlock - 1) / kBlock, kBlock, [&](long lo, long hi) { body(lo * kBlock, std::min(n, hi * kBlock)); });
}

}  // namespace

void im2col(const PatchGeometry& g, const float* img, float* cols) {
  const long N = static_cast<long>(g.Ho) * g.Wo;
  shareOut(static_cast<long>(g.C) * g.kh * g.kw, N, [&](long lo, long hi) {
    for (long k = lo; k < hi; k++) im2colRow(g, static_cast<int>(k), img, cols);
  });
}

void col2im(const PatchGeometry& g, const float* cols, float* img) {
  const long perChannel = static_cast<long>(g.kh) * g.kw * g.Ho * g.Wo;
  shareOut(g.C, perChannel, [&](long lo, long hi) {
    for (long c = lo; c < hi; c++) col2imChannel(g, static_cast<int>(c), cols, img);
  });
}

void maxPoolForward(const PoolGeometry& g, const float* x, float* y) {
  shareOut(static_cast<long>(g.B) * g.C, static_cast<long>(g.H) * g.W, [&](long lo, long hi) {
    for (long p = lo; p < hi; p++) {
      const int b = static_cast<int>(p / g.C), wo = g.outWidths[b];
      for (int oy = 0; oy < g.Ho; oy++) {
        float* out = y + (p * g.Ho + oy) * g.Wo;
        rowWindows<false>(g, x + p * g.H * g.W, g.widths[b], wo, oy, out, nullptr);
        std::fill(out + wo, out + g.Wo, 0.0f);  // right of the sample's real output width
      }
    }
  });
}

void maxPoolBackward(const PoolGeometry& g, const float* x, const float* dy, float* dx) {
  const long size = static_cast<long>(g.H) * g.W;
  shareOut(static_cast<long>(g.B) * g.C, size, [&](long lo, long hi) {
    std::vector<float> best(g.Wo);
    std::vector<int32_t> at(g.Wo);
    for (long p = lo; p < hi; p++) {
      const int b = static_cast<int>(p / g.C), wo = g.outWidths[b];
      float* plane = dx + p * size;
      std::memset(plane, 0, sizeof(float) * size);
      for (int oy = 0; oy < g.Ho; oy++) {
        const float* d = dy + (p * g.Ho + oy) * g.Wo;
        rowWindows<true>(g, x + p * size, g.widths[b], wo, oy, best.data(), at.data());
        // In output order, as the loops add (overlapping windows may share a winner).
        for (int ox = 0; ox < wo; ox++)
          if (at[ox] >= 0) plane[at[ox]] += d[ox];
      }
    }
  });
}

void reluForward(long n, const float* x, float* y) {
  shareElements(n, [&](long lo, long hi) {
    if (x == y) reluRange(y, lo, hi);
    else reluRange(x, y, lo, hi);
  });
}

void reluBackward(long n, const float* y, const float* dy, float* dx) {
  shareElements(n, [&](long lo, long hi) {
    if (dy == dx) reluBackRange(y, dx, lo, hi);
    else reluBackRange(y, dy, dx, lo, hi);
  });
}

void addRowSums(int rows, int cols, const float* a, float* out) {
  shareOut(rows, cols, [&](long lo, long hi) {
    for (long r = lo; r < hi; r++) {
      // In float64 and in order, as the TypeScript sums a row.
      const float* row = a + r * cols;
      double sum = 0;
      for (int j = 0; j < cols; j++) sum += row[j];
      out[r] = static_cast<float>(static_cast<double>(out[r]) + sum);
    }
  });
}

void transposeBatch(int batch, int rows, int cols, const float* src, float* dst) {
  // Tiles of kTile x kTile keep both the rows read and the rows written in cache.
  constexpr int kTile = 32;
  const long n = static_cast<long>(rows) * cols;
  const int rowTiles = (rows + kTile - 1) / kTile;
  shareOut(static_cast<long>(batch) * rowTiles, static_cast<long>(kTile) * cols, [&](long lo, long hi) {
    for (long t = lo; t < hi; t++) {
      const long base = t / rowTiles * n;
      const int r0 = static_cast<int>(t % rowTiles) * kTile, r1 = std::min(rows, r0 + kTile);
      for (int c0 = 0; c0 < cols; c0 += kTile) {
        const int c1 = std::min(cols, c0 + kTile);
        for (int r = r0; r < r1; r++)
          for (int c = c0; c < c1; c++) dst[base + static_cast<long>(c) * rows + r] = src[base + static_cast<long>(r) * cols + c];
      }
    }
  });
}

}  // namespace sayre
