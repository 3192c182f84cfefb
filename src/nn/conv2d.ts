/**
 * 2-D convolution over NCHW batches whose samples have their own widths (text lines of
 * different lengths padded to one width), as im2col + one backend GEMM per sample; every
 * step is a backend operation (ImageOps, gemm), so the same code runs on a device.
 *
 * Sample b's real columns are [0, widths[b]); everything right of them is padding and
 * reads as zero, exactly as if the sample had been convolved alone with zero padding, so
 * padding never leaks into real outputs or into gradients. Outputs right of a sample's
 * real output width are written as zero; their gradients are ignored.
 */
import type { Backend, PatchGeometry } from '../backend/index.js';
import type { ParamSpec } from './parameters.js';
import type { Workspace } from './workspace.js';

/** A sliding window over an image (shared by convolution and pooling). */
export interface Window2d {
  kernelH: number;
  kernelW: number;
  /** Default 1 for convolution, the kernel for pooling. */
  strideH?: number;
  /** Default 1 for convolution, the kernel for pooling. */
  strideW?: number;
  /** Padding above and below (zeros for convolution, -Infinity for pooling); default 0. */
  padH?: number;
  /** Padding left and right of each sample's real columns; default 0. */
  padW?: number;
}

/** A convolution's geometry (torch.nn.Conv2d's arguments, no dilation or groups). */
export interface Conv2dGeometry extends Window2d {
  inChannels: number;
  outChannels: number;
}

/** A window's sizes with defaults filled in (stride defaults to `defaultStride`), checked. */
export function resolveWindow(g: Window2d, defaultStride: { h: number; w: number }, what: string): { kh: number; kw: number; sh: number; sw: number; ph: number; pw: number } {
  const r = { kh: g.kernelH, kw: g.kernelW, sh: g.strideH ?? defaultStride.h, sw: g.strideW ?? defaultStride.w, ph: g.padH ?? 0, pw: g.padW ?? 0 };
  for (const [k, v] of Object.entries(r)) {
    const min = k === 'ph' || k === 'pw' ? 0 : 1;
    if (!Number.isInteger(v) || v < min) throw new Error(`${what}: ${k} must be an integer >= ${min}, got ${v}`);
  }
  return r;
}

/** A batch's spatial size: x [B, C, H, W], sample b real in columns [0, widths[b]). */
export interface ImageBatchShape {
  B: number;
  H: number;
  W: number;
  /** Real columns per sample (default: all W). */
  widths?: ArrayLike<number>;
}

/** Output size along an axis of n inputs: floor((n + 2 pad - k) / stride) + 1, at least 0 (0 for n = 0). */
export function convOutSize(n: number, kernel: number, stride: number, pad: number): number {
  if (n <= 0) return 0;
  return Math.max(0, Math.floor((n + 2 * pad - kernel) / stride) + 1);
}

interface Resolved {
  C: number; O: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  B: number; H: number; W: number; Ho: number; Wo: number; K: number;
  widths: Int32Array;
}

/** Real columns per sample, checked against W (shared with pooling). */
export function resolveWidths(shape: ImageBatchShape, what: string): Int32Array {
  const { B, W, widths } = shape;
  if (widths === undefined) return new Int32Array(B).fill(W);
  if (widths.length !== B) throw new Error(`${what}: ${widths.length} widths for a batch of ${B}`);
  const out = Int32Array.from(widths);
  for (let b = 0; b < B; b++) {
    if (!Number.isInteger(widths[b]!) || out[b]! < 0 || out[b]! > W) throw new Error(`${what}: widths[${b}] = ${widths[b]} is not an integer in [0, ${W}]`);
  }
  return out;
}

function resolve(g: Conv2dGeometry, s: ImageBatchShape, what: string): Resolved {
  const r = { C: g.inChannels, O: g.outChannels, ...resolveWindow(g, { h: 1, w: 1 }, what) };
  for (const [k, v] of Object.entries({ inChannels: r.C, outChannels: r.O })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: ${k} must be an integer >= 1, got ${v}`);
  }
  for (const [k, v] of Object.entries({ B: s.B, H: s.H, W: s.W })) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: ${k} must be a non-negative integer, got ${v}`);
  }
  return {
    ...r, B: s.B, H: s.H, W: s.W, K: r.C * r.kh * r.kw,
    Ho: convOutSize(s.H, r.kh, r.sh, r.ph), Wo: convOutSize(s.W, r.kw, r.sw, r.pw),
    widths: resolveWidths(s, what),
  };
}

/** Output shape [B, outChannels, Ho, Wo] and each sample's real output width. */
export function conv2dOutputShape(g: Conv2dGeometry, s: ImageBatchShape): { Ho: number; Wo: number; widths: Int32Array } {
  const r = resolve(g, s, 'conv2d');
  return { Ho: r.Ho, Wo: r.Wo, widths: r.widths.map((w) => convOutSize(w, r.kw, r.sw, r.pw)) };
}

function checkLength(what: string, name: string, a: Float32Array, n: number): void {
  if (a.length < n) throw new Error(`${what}: ${name} has ${a.length} values, needs ${n}`);
}

/** Sample b's window for the backend's im2col / col2im: its real input and output widths. */
function samplePatches(r: Resolved, b: number): PatchGeometry {
  const { C, H, W, kh, kw, sh, sw, ph, pw, Ho } = r;
  const width = r.widths[b]!;
  return { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo: convOutSize(width, kw, sw, pw), width };
}

/** A backend array of n ones (the bias broadcast as a product). */
function ones(backend: Backend, ws: Workspace, n: number): Float32Array {
  const a = ws.get('conv.ones', n);
  backend.fill(a, 1);
  return a;
}

/**
 * Forward: x [B, C, H, W] -> y [B, O, Ho, Wo] (overwritten; zero right of each sample's
 * real output width). w [O, C, kh, kw] (PyTorch's layout), bias [O] or null.
 */
export function conv2dForward(
  backend: Backend, ws: Workspace, g: Conv2dGeometry, s: ImageBatchShape,
  x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
): void {
  const r = resolve(g, s, 'conv2dForward');
  const { B, C, H, W, O, Ho, Wo, K } = r;
  checkLength('conv2dForward', 'x', x, B * C * H * W);
  checkLength('conv2dForward', 'w', w, O * K);
  checkLength('conv2dForward', 'y', y, B * O * Ho * Wo);
  if (bias) checkLength('conv2dForward', 'bias', bias, O);
  const plane = C * H * W;
  for (let b = 0; b < B; b++) {
    const pg = samplePatches(r, b), wo = pg.Wo, N = Ho * wo;
    const yb = y.subarray(b * O * Ho * Wo, (b + 1) * O * Ho * Wo);
    if (N === 0) {
      backend.fill(yb, 0);
      continue;
    }
    const cols = ws.get('conv.cols', K * N);
    backend.im2col(pg, x.subarray(b * plane, (b + 1) * plane), cols);
    // A full-width sample writes straight into y; a narrower one goes through scratch.
    const out = wo === Wo ? yb : ws.get('conv.out', O * N);
    // out [O, N] = bias [O, 1] x ones [1, N], then += w [O, K] x cols [K, N]
    if (bias) backend.gemm(false, false, O, N, 1, 1, bias, 1, ones(backend, ws, N), N, 0, out, N);
    backend.gemm(false, false, O, N, K, 1, w, K, cols, N, bias ? 1 : 0, out, N);
    if (wo !== Wo) {
      backend.fill(yb, 0);
      backend.copyRows(O * Ho, wo, out, wo, yb, Wo);
    }
  }
}

/**
 * Backward of {@link conv2dForward}. dy [B, O, Ho, Wo] (values right of each sample's real
 * output width are ignored). dw [O, C, kh, kw] and dbias [O] are accumulated (+=);
 * dx [B, C, H, W] is overwritten (zero at padded columns), skipped when null.
 */
export function conv2dBackward(
  backend: Backend, ws: Workspace, g: Conv2dGeometry, s: ImageBatchShape,
  x: Float32Array, w: Float32Array, dy: Float32Array,
  dw: Float32Array, dbias: Float32Array | null, dx: Float32Array | null,
): void {
  const r = resolve(g, s, 'conv2dBackward');
  const { B, C, H, W, O, Ho, Wo, K } = r;
  checkLength('conv2dBackward', 'x', x, B * C * H * W);
  checkLength('conv2dBackward', 'dy', dy, B * O * Ho * Wo);
  checkLength('conv2dBackward', 'dw', dw, O * K);
  if (dx) {
    checkLength('conv2dBackward', 'dx', dx, B * C * H * W);
    backend.fill(dx.subarray(0, B * C * H * W), 0);
  }
  const plane = C * H * W;
  for (let b = 0; b < B; b++) {
    const pg = samplePatches(r, b), wo = pg.Wo, N = Ho * wo;
    if (N === 0) continue;
    const dyFull = dy.subarray(b * O * Ho * Wo, (b + 1) * O * Ho * Wo);
    let dyb = dyFull;
    if (wo !== Wo) {
      dyb = ws.get('conv.dout', O * N);
      backend.copyRows(O * Ho, wo, dyFull, Wo, dyb, wo);
    }
    const cols = ws.get('conv.cols', K * N);
    backend.im2col(pg, x.subarray(b * plane, (b + 1) * plane), cols);
    // dw [O, K] += dy [O, N] x cols^T [N, K]
    backend.gemm(false, true, O, K, N, 1, dyb, N, cols, N, 1, dw, K);
    if (dbias) backend.addRowSums(O, N, dyb, dbias);
    if (dx) {
      // dcols [K, N] = w^T [K, O] x dy [O, N]
      const dcols = ws.get('conv.dcols', K * N);
      backend.gemm(true, false, K, N, O, 1, w, K, dyb, N, 0, dcols, N);
      backend.col2im(pg, dcols, dx.subarray(b * plane, (b + 1) * plane));
    }
  }
}

/** Parameters `<prefix>weight` [O, C, kh, kw] and `<prefix>bias` [O], PyTorch's init bound 1/sqrt(C*kh*kw). */
export function conv2dParamSpecs(prefix: string, g: Conv2dGeometry, bias = true): ParamSpec[] {
  const bound = 1 / Math.sqrt(g.inChannels * g.kernelH * g.kernelW);
  const specs: ParamSpec[] = [{ name: `${prefix}weight`, shape: [g.outChannels, g.inChannels, g.kernelH, g.kernelW], initBound: bound }];
  if (bias) specs.push({ name: `${prefix}bias`, shape: [g.outChannels], initBound: bound });
  return specs;
}
