/**
 * 2-D max pooling over NCHW batches with per-sample widths (see conv2d.ts): windows only
 * look at a sample's real columns, outputs right of its real output width are zero.
 */
import { type ImageBatchShape, type Window2d, convOutSize, resolveWidths, resolveWindow } from './conv2d.js';

/** torch.nn.MaxPool2d's arguments (no dilation, floor mode); stride defaults to the kernel, padding is -Infinity. */
export type MaxPool2dGeometry = Window2d;

function resolvePool(g: MaxPool2dGeometry, what: string): ReturnType<typeof resolveWindow> {
  const r = resolveWindow(g, { h: g.kernelH, w: g.kernelW }, what);
  if (2 * r.ph > r.kh || 2 * r.pw > r.kw) throw new Error(`${what}: padding must be at most half the kernel`);
  return r;
}

/** Output shape [B, C, Ho, Wo] and each sample's real output width. */
export function maxPool2dOutputShape(g: MaxPool2dGeometry, s: ImageBatchShape): { Ho: number; Wo: number; widths: Int32Array } {
  const r = resolvePool(g, 'maxPool2d');
  return {
    Ho: convOutSize(s.H, r.kh, r.sh, r.ph), Wo: convOutSize(s.W, r.kw, r.sw, r.pw),
    widths: resolveWidths(s, 'maxPool2d').map((w) => convOutSize(w, r.kw, r.sw, r.pw)),
  };
}

/**
 * Forward: x [B, C, H, W] -> y [B, C, Ho, Wo] (overwritten). argmax [B, C, Ho, Wo] gets,
 * per output, the index into x of the maximum (first on ties), or -1 for padded outputs;
 * keep it for the backward pass.
 */
export function maxPool2dForward(
  g: MaxPool2dGeometry, s: ImageBatchShape, C: number, x: Float32Array, y: Float32Array, argmax: Int32Array,
): void {
  const r = resolvePool(g, 'maxPool2dForward');
  const { B, H, W } = s;
  const widths = resolveWidths(s, 'maxPool2dForward');
  const Ho = convOutSize(H, r.kh, r.sh, r.ph), Wo = convOutSize(W, r.kw, r.sw, r.pw);
  const n = B * C * Ho * Wo;
  if (x.length < B * C * H * W) throw new Error(`maxPool2dForward: x has ${x.length} values, needs ${B * C * H * W}`);
  if (y.length < n || argmax.length < n) throw new Error(`maxPool2dForward: y and argmax need ${n} values`);
  for (let b = 0; b < B; b++) {
    const wb = widths[b]!, wo = convOutSize(wb, r.kw, r.sw, r.pw);
    for (let c = 0; c < C; c++) {
      const plane = (b * C + c) * H * W, out = (b * C + c) * Ho * Wo;
      for (let oy = 0; oy < Ho; oy++) {
        const y0 = Math.max(0, oy * r.sh - r.ph), y1 = Math.min(H, oy * r.sh - r.ph + r.kh);
        for (let ox = 0; ox < Wo; ox++) {
          const o = out + oy * Wo + ox;
          if (ox >= wo) {
            y[o] = 0;
            argmax[o] = -1;
            continue;
          }
          const x0 = Math.max(0, ox * r.sw - r.pw), x1 = Math.min(wb, ox * r.sw - r.pw + r.kw);
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
          y[o] = at < 0 ? 0 : best;
          argmax[o] = at;
        }
      }
    }
  }
}

/**
 * Backward: dx [xSize] overwritten with zeros, then dx[argmax[o]] += dy[o] for every real
 * output o of the `count` outputs (padded ones, argmax -1, are ignored).
 */
export function maxPool2dBackward(count: number, dy: Float32Array, argmax: Int32Array, dx: Float32Array, xSize: number): void {
  dx.fill(0, 0, xSize);
  for (let o = 0; o < count; o++) {
    const i = argmax[o]!;
    if (i >= 0) dx[i]! += dy[o]!;
  }
}
