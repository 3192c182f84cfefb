/**
 * One CTC sequence, start to finish, as a pool task (src/parallel/pool.ts): fused float64
 * log-softmax of its frames, the forward-backward, and its rows of d loss / d logits.
 * The same routine runs on every thread, so results do not depend on the thread count.
 */
import { createSoftmaxRows, copyRow, type SoftmaxRows } from './softmax-rows.js';
import { ctcLogSpace, latticeStats, LatticeBuffers, type CtcLattice } from './ctc-lattice.js';

/** What every thread reads (inputs) and writes (its sequences' slots of the outputs). */
export interface CtcTaskArgs {
  logits: Float32Array; // [T, B, C]
  T: number;
  B: number;
  C: number;
  blank: number;
  /** All targets concatenated; sequence b's are targets[targetStarts[b] .. targetStarts[b + 1]). */
  targets: Int32Array;
  targetStarts: Int32Array;
  inputLengths: Int32Array;
  /** Out: -log p(target | x) per sequence, +Infinity where the target cannot fit. */
  losses: Float64Array;
  /**
   * Out, when given: d loss / d logits [T, B, C]. Each sequence writes all T of its rows
   * (zeros where there is no gradient), so the buffer may hold anything before.
   */
  grad: Float32Array | null;
  /** Per-sequence factor of the gradient (from the reduction). */
  gradScales: Float64Array;
  /** Item i of a run is sequence first + i (default 0). */
  first?: number;
  /**
   * Out: per sequence, the first frame holding a NaN or infinite logit, else -1 (set by
   * the caller). Such a sequence stops there; the caller reports the first in batch order.
   */
  badFrames: Int32Array;
  /** Test hooks: TypeScript row kernels; log space only. */
  jsKernels?: boolean;
  logSpaceOnly?: boolean;
}

/** A thread's reusable state. */
class Workspace implements CtcLattice {
  T = 0;
  S = 0;
  K = 0;
  kOf = new Int32Array(16);
  skip = new Float64Array(16);
  lp: Float64Array = new Float64Array(0);
  cls = new Int32Array(16);
  slotOfClass = new Int32Array(0);
  invSum = new Float64Array(0);
  lpOff = 0; // log y of class slot k at frame t: lp[lpOff + t * K + k]
  readonly lattice = new LatticeBuffers();
  constructor(readonly rows: SoftmaxRows) {}

  logProb(t: number, k: number): number {
    return this.lp[this.lpOff + t * this.K + k]!;
  }
}

const workspaces = new Map<boolean, Workspace>();

function workspace(js: boolean): Workspace {
  let ws = workspaces.get(js);
  if (!ws) {
    ws = new Workspace(createSoftmaxRows(js));
    workspaces.set(js, ws);
  }
  return ws;
}

/** Labels needed in frames: one per label plus a blank between each equal pair. */
export function framesNeeded(targets: Int32Array, start: number, end: number): number {
  let n = end - start;
  for (let i = start + 1; i < end; i++) if (targets[i] === targets[i - 1]) n++;
  return n;
}

/** Fills the lattice description of sequence b (classes, state -> class slot, skips). */
function prepareLabels(ws: Workspace, a: CtcTaskArgs, start: number, end: number): void {
  const L = end - start;
  const S = 2 * L + 1;
  if (ws.kOf.length < S + 2) {
    ws.kOf = new Int32Array(2 * S + 2);
    ws.skip = new Float64Array(2 * S + 2);
    ws.cls = new Int32Array(2 * S + 2);
  }
  if (ws.slotOfClass.length < a.C) ws.slotOfClass = new Int32Array(a.C).fill(-1);
  const { kOf, skip, cls, slotOfClass } = ws;
  cls[0] = a.blank;
  let K = 1;
  for (let j = 0; j < L; j++) {
    const c = a.targets[start + j]!;
    let k = slotOfClass[c]!;
    if (k < 0) {
      k = K++;
      cls[k] = c;
      slotOfClass[c] = k;
    }
    kOf[2 * j] = 0;
    skip[2 * j] = 0;
    kOf[2 * j + 1] = k;
    skip[2 * j + 1] = j > 0 && a.targets[start + j - 1] !== c ? 1 : 0;
  }
  kOf[2 * L] = 0;
  skip[2 * L] = 0;
  skip[S] = 1;
  skip[S + 1] = 0;
  for (let k = 1; k < K; k++) slotOfClass[cls[k]!] = -1; // leave the map clean for the next sequence
  ws.S = S;
  ws.K = K;
}

/** The error for sequence b's first non-finite logit, at frame t. */
export function badLogitError(logits: Float32Array, B: number, C: number, b: number, t: number): Error {
  const o = (t * B + b) * C;
  let c = 0;
  while (c < C && Number.isFinite(logits[o + c]!)) c++;
  return new Error(`ctcLoss: sequence ${b}: logit at frame ${t}, class ${c} is ${logits[o + c]} (logits must be finite)`);
}

/** Zeroes sequence b's gradient rows from frame `from` on. */
function zeroRows(a: CtcTaskArgs, b: number, from: number): void {
  for (let t = from; t < a.T; t++) a.grad!.fill(0, (t * a.B + b) * a.C, (t * a.B + b + 1) * a.C);
}

/** Computes sequence b = a.first + item: losses[b] and, when a.grad is set, its gradient rows. */
export function ctcSequence(a: CtcTaskArgs, item: number): void {
  const b = (a.first ?? 0) + item;
  const T = a.inputLengths[b]!;
  const start = a.targetStarts[b]!;
  const end = a.targetStarts[b + 1]!;
  const impossible = framesNeeded(a.targets, start, end) > T;
  if (a.grad) zeroRows(a, b, impossible ? 0 : T); // padding, or the whole sequence
  if (impossible) {
    a.losses[b] = Infinity; // impossible: no gradient at all
    return;
  }
  if (T === 0) {
    a.losses[b] = 0; // empty input, empty target: the empty path, probability 1
    return;
  }
  const ws = workspace(a.jsKernels === true);
  prepareLabels(ws, a, start, end);
  const { C } = a;
  const K = ws.K;
  const rows = ws.rows;
  const S = ws.S;
  const W = S + 4;
  // Kernel memory (bytes from rows.base): frames' exp(logit - max) [T, C] f32 | an output
  // row [C] f32 | classes [K] i32 | kOf [S + 2] i32 | then float64: y [T, K] | log y [T, K] |
  // skip [S + 2] | occupancy [T, K] | alpha [T, S + 4] | cumA [T] | g [S + 4].
  const xAt = rows.base;
  const rowAt = xAt + T * C * 4;
  const clsAt = rowAt + C * 4;
  const kOfAt = clsAt + K * 4;
  const yAt = (kOfAt + (S + 2) * 4 + 7) & ~7;
  const lpAt = yAt + T * K * 8;
  const skipAt = lpAt + T * K * 8;
  const occAt = skipAt + (S + 2) * 8;
  const alphaAt = occAt + T * K * 8;
  const cumAAt = alphaAt + T * W * 8;
  const gAt = cumAAt + T * 8;
  rows.reserve(gAt + W * 8 - xAt);
  rows.i32.set(ws.cls.subarray(0, K), clsAt >> 2);
  rows.i32.set(ws.kOf.subarray(0, S + 2), kOfAt >> 2);
  rows.f64.set(ws.skip.subarray(0, S + 2), skipAt >> 3);
  if (ws.invSum.length < T) ws.invSum = new Float64Array(Math.max(T, 2 * ws.invSum.length));
  const invSum = ws.invSum;
  for (let t = 0; t < T; t++) {
    // Row by row, so that the kernel finds its row still in cache.
    copyRow(a.logits, (t * a.B + b) * C, C, rows.f32, (xAt >> 2) + t * C);
    const inv = rows.rowSoftmaxGather(xAt + t * C * 4, C, clsAt, K, yAt + t * K * 8, lpAt + t * K * 8);
    if (Number.isNaN(inv)) {
      a.badFrames[b] = t;
      return;
    }
    invSum[t] = inv;
  }
  ws.T = T;
  ws.lp = rows.f64;
  ws.lpOff = lpAt >> 3;
  // A target class below e^-700 at some frame: its probability is not a normal float64
  // (the kernel does not even try), so only log space is exact.
  let lowest = 0;
  for (let i = lpAt >> 3, e = i + T * K; i < e; i++) if (rows.f64[i]! < lowest) lowest = rows.f64[i]!;
  let logP = NaN;
  if (rows.ctcRescaled && a.logSpaceOnly !== true && lowest > -700) {
    logP = rows.ctcRescaled(T, S, K, kOfAt, skipAt, yAt, alphaAt, cumAAt, gAt, occAt);
  }
  if (Number.isNaN(logP) && rows.ctcRescaled && a.logSpaceOnly !== true) latticeStats.logSpaceFallbacks++;
  const wantOcc = a.grad !== null;
  if (Number.isNaN(logP)) logP = ctcLogSpace(ws, ws.lattice, wantOcc ? rows.f64 : undefined, occAt >> 3);
  a.losses[b] = -logP;
  if (!wantOcc) return;
  // d loss / d logit = scale * (softmax - posterior occupancy of the class).
  const grad = a.grad!;
  const scale = a.gradScales[b]!;
  const f32 = rows.f32;
  const f64 = rows.f64;
  const rowF = rowAt >> 2;
  for (let t = 0; t < T; t++) {
    rows.rowScale(xAt + t * C * 4, C, scale * invSum[t]!, rowAt);
    const yr = (yAt >> 3) + t * K;
    const or = (occAt >> 3) + t * K;
    for (let k = 0; k < K; k++) f32[rowF + ws.cls[k]!] = scale * (f64[yr + k]! - f64[or + k]!);
    copyRow(f32, rowF, C, grad, (t * a.B + b) * C);
  }
}
