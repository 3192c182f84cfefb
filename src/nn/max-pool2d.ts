/**
 * 2-D max pooling over NCHW batches with per-sample widths (see conv2d.ts): windows only
 * look at a sample's real columns, outputs right of its real output width are zero. The
 * loops are the backend's (ImageOps), so the same code runs on a device.
 */
import type { Backend, PoolGeometry } from '../backend/index.js';
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

/** The backend's pooling geometry for a batch of C-channel maps (checked). */
function poolGeometry(g: MaxPool2dGeometry, s: ImageBatchShape, C: number, what: string): PoolGeometry {
  const r = resolvePool(g, what);
  if (!Number.isInteger(C) || C < 1) throw new Error(`${what}: C must be an integer >= 1, got ${C}`);
  const widths = resolveWidths(s, what);
  return {
    B: s.B, C, H: s.H, W: s.W, ...r,
    Ho: convOutSize(s.H, r.kh, r.sh, r.ph), Wo: convOutSize(s.W, r.kw, r.sw, r.pw),
    widths, outWidths: widths.map((w) => convOutSize(w, r.kw, r.sw, r.pw)),
  };
}

/**
 * Forward: x [B, C, H, W] -> y [B, C, Ho, Wo] (overwritten): each window's maximum over
 * the sample's real columns (the first on ties), zero for padded outputs.
 */
export function maxPool2dForward(backend: Backend, g: MaxPool2dGeometry, s: ImageBatchShape, C: number, x: Float32Array, y: Float32Array): void {
  backend.maxPoolForward(poolGeometry(g, s, C, 'maxPool2dForward'), x, y);
}

/**
 * Backward: dx [B, C, H, W] overwritten: each element gets the sum of dy over the real
 * outputs whose window's maximum it was. x is the forward input (the winners are found
 * again from it, so the forward keeps no index table).
 */
export function maxPool2dBackward(
  backend: Backend, g: MaxPool2dGeometry, s: ImageBatchShape, C: number, x: Float32Array, dy: Float32Array, dx: Float32Array,
): void {
  backend.maxPoolBackward(poolGeometry(g, s, C, 'maxPool2dBackward'), x, dy, dx);
}
