/**
 * The CPU backends' {@link ImageOps}: plain loops over host memory (moved here from the
 * layers, which now call them through the backend so that webgpu can run its kernels).
 * The reference the native kernels (native/src/image.cc) equal bit for bit.
 */
import type { ImageOps, PatchGeometry, PoolGeometry } from './image-ops.js';

/** im2col (`gather`) or its backward col2im (img += cols) of one sample; see ImageOps.im2col. */
function patches(g: PatchGeometry, img: Float32Array, cols: Float32Array, gather: boolean): void {
  const { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo: wo, width: wb } = g;
  const N = Ho * wo;
  for (let c = 0; c < C; c++) {
    const plane = c * H * W;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const row = ((c * kh + i) * kw + j) * N;
        for (let oy = 0; oy < Ho; oy++) {
          const y = oy * sh - ph + i;
          const o = row + oy * wo;
          if (y < 0 || y >= H) {
            if (gather) cols.fill(0, o, o + wo);
            continue;
          }
          // Output columns whose input column ox*sw - pw + j lies in [0, wb): one range.
          const lo = Math.min(wo, Math.max(0, Math.ceil((pw - j) / sw)));
          const hi = Math.max(lo, Math.min(wo, Math.ceil((wb + pw - j) / sw)));
          const at = plane + y * W - pw + j;
          if (gather) {
            cols.fill(0, o, o + lo);
            if (sw === 1) cols.set(img.subarray(at + lo, at + hi), o + lo);
            else for (let ox = lo; ox < hi; ox++) cols[o + ox] = img[at + ox * sw]!;
            cols.fill(0, o + hi, o + wo);
          } else {
            for (let ox = lo; ox < hi; ox++) img[at + ox * sw]! += cols[o + ox]!;
          }
        }
      }
    }
  }
}

/**
 * Visits every output of a pooling: visit(o, at) with o its index in y and `at` the index
 * into x of its window's maximum over real columns (first on ties; -1 for a padded output
 * or an empty window).
 */
function eachWindow(g: PoolGeometry, x: Float32Array, visit: (o: number, at: number) => void): void {
  const { B, C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  for (let b = 0; b < B; b++) {
    const wb = g.widths[b]!, wo = g.outWidths[b]!;
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W, out = (b * C + c) * Ho * Wo;
      for (let oy = 0; oy < Ho; oy++) {
        const y0 = Math.max(0, oy * sh - ph), y1 = Math.min(H, oy * sh - ph + kh);
        for (let ox = 0; ox < Wo; ox++) {
          const o = out + oy * Wo + ox;
          if (ox >= wo) {
            visit(o, -1);
            continue;
          }
          const x0 = Math.max(0, ox * sw - pw), x1 = Math.min(wb, ox * sw - pw + kw);
          let best = -Infinity, at = -1;
          for (let yy = y0; yy < y1; yy++) {
            for (let xx = x0; xx < x1; xx++) {
              const i = plane + yy * W + xx, v = x[i]!;
              if (v > best || at < 0) {
                best = v;
                at = i;
              }
            }
          }
          visit(o, at);
        }
      }
    }
  }
}

/** See ImageOps.maxPoolForward. */
function maxPoolForwardHost(g: PoolGeometry, x: Float32Array, y: Float32Array): void {
  eachWindow(g, x, (o, at) => { y[o] = at < 0 ? 0 : x[at]!; });
}

/** See ImageOps.maxPoolBackward. */
function maxPoolBackwardHost(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  dx.fill(0, 0, g.B * g.C * g.H * g.W);
  eachWindow(g, x, (o, at) => { if (at >= 0) dx[at]! += dy[o]!; });
}

/** See ImageOps.reluForward. */
function reluForwardHost(n: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : 0;
  }
}

/** See ImageOps.reluBackward. */
function reluBackwardHost(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < n; i++) dx[i] = y[i]! > 0 ? dy[i]! : 0;
}

/** See ImageOps.addRowSums. */
function addRowSumsHost(rows: number, cols: number, a: Float32Array, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let n = r * cols; n < (r + 1) * cols; n++) sum += a[n]!;
    out[r]! += sum;
  }
}

/** See ImageOps.transposeBatch. */
function transposeBatchHost(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void {
  const n = rows * cols;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      const s = b * n + r * cols;
      for (let c = 0; c < cols; c++) dst[b * n + c * rows + r] = src[s + c]!;
    }
  }
}

/** The loops as an {@link ImageOps}, arguments unchecked (HostBackend checks them first). */
export const hostImageOps: ImageOps = {
  im2col: (g, img, cols) => patches(g, img, cols, true),
  col2im: (g, cols, img) => patches(g, img, cols, false),
  maxPoolForward: maxPoolForwardHost,
  maxPoolBackward: maxPoolBackwardHost,
  reluForward: reluForwardHost,
  reluBackward: reluBackwardHost,
  addRowSums: addRowSumsHost,
  transposeBatch: transposeBatchHost,
};
