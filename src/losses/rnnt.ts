/**
 * RNN Transducer loss (Graves 2012) with the log-softmax fused in: logits [B, T, U1, V]
 * in, per-sequence losses and d loss / d logits out.
 */
import { runParallel, usableThreads } from '../parallel/pool.js';
import { SharedScratch, callerShare, copyBytes } from '../parallel/shared-memory.js';
import { resolveThreads } from '../backend/threads.js';
import { describeBadRow } from './rnnt-kernel.js';
import { rnntTask, type RnntTaskArgs } from './rnnt-task.js';
import { flattenTargets, validateRnntInput } from './rnnt-validate.js';

/**
 * Below this much work (logits read, summed over the batch) a call runs on the calling
 * thread: handing work to another thread costs tens of microseconds.
 */
export const PARALLEL_MIN_WORK = 100_000;

/** Shared buffers for runs over threads, kept between calls (a fresh SharedArrayBuffer costs page faults). */
const scratch = new SharedScratch();

const TASK = { module: new URL('./rnnt-task.js', import.meta.url).href, fn: 'rnntTask' };

/**
 * The batch over threads. The calling thread keeps a first share of the sequences (about
 * 1/threads of the work) and computes them straight in the caller's arrays; the rest go
 * through the shared scratch: their logits blocks in, their losses, bad rows and gradient
 * blocks out ([B, T, U1, V] is batch-major, so each share is one contiguous block; pages
 * of the scratch before it are never touched).
 */
function runShared(args: RnntTaskArgs, B: number, threads: number): void {
  const { T, U1, V } = args;
  const k = callerShare(B, threads, (b) => args.frames[b]! * (args.targetStarts[b + 1]! - args.targetStarts[b]! + 1));
  const block = T * U1 * V, from = k * block, size = B * block;
  const logitsShared = args.logits.buffer instanceof SharedArrayBuffer;
  const shared: RnntTaskArgs = {
    ...args,
    first: k,
    logits: logitsShared ? args.logits : scratch.f32('logits', size),
    losses: scratch.f64('losses', B),
    badRows: scratch.i32('badRows', 2 * B),
    // the kernel leaves padded rows alone: they must start at zero
    grad: args.grad ? scratch.f32('grad', size).fill(0, from) : null,
  };
  if (!logitsShared) copyBytes(args.logits.subarray(from), shared.logits.subarray(from));
  runParallel(TASK, rnntTask, shared, B - k, threads, () => {
    for (let b = 0; b < k; b++) rnntTask(args, b);
  });
  copyBytes(shared.losses.subarray(k), args.losses.subarray(k));
  copyBytes(shared.badRows.subarray(2 * k), args.badRows.subarray(2 * k));
  if (args.grad) copyBytes(shared.grad!.subarray(from), args.grad.subarray(from));
}

/** Options of {@link rnntLoss}. */
export interface RnntLossOptions {
  /** Index of the blank label. Default 0. */
  blank?: number;
  /**
   * 'none': per-sequence losses, and the gradient of their sum; 'sum'; 'mean': the plain
   * batch mean (torchaudio's), not divided by target lengths. Default 'mean'.
   */
  reduction?: 'none' | 'sum' | 'mean';
  /** Compute the gradient. Default true. */
  grad?: boolean;
  /**
   * A sequence with probability 0 (only possible when logits hold -Infinity) gets loss 0
   * instead of +Infinity; its gradient is zero either way. Default false.
   */
  zeroInfinity?: boolean;
  /**
   * Threads to spread the batch's sequences over (Node; elsewhere one): results are
   * bit-identical for any count. Logits in a SharedArrayBuffer are read in place, others
   * are copied to shared memory once per call. Default: SAYRE_THREADS, else min(2, cores).
   */
  threads?: number;
}

/** What {@link rnntLoss} returns. */
export interface RnntLossResult {
  /** -log P(target | input) per sequence. */
  losses: Float64Array;
  /** The reduced loss. */
  loss: number;
  /**
   * d loss / d logits, shape [B, T, U1, V]; zero at padded frames (t >= logitLengths[b])
   * and label positions (u > target length). Absent when `grad: false`.
   */
  grad?: Float32Array;
}

/**
 * RNN-T loss of a batch: logits [B, T, U1, V] (unnormalised; V counts the blank), U1 at
 * least one more than the longest target. targets[b] holds sequence b's labels (no
 * blanks); logitLengths[b] its valid frames (1..T). Log-space forward-backward in
 * float64; the gradient of each lattice cell is written straight into the output.
 * Throws an Error naming the sequence on bad input (labels out of range or equal to
 * blank, lengths out of range, target too long, shape mismatch, NaN or +Infinity logits).
 */
export function rnntLoss(
  logits: Float32Array, shape: readonly [number, number, number, number], targets: ArrayLike<number>[],
  logitLengths: ArrayLike<number>, options: RnntLossOptions = {},
): RnntLossResult {
  const blank = options.blank ?? 0;
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'none' && reduction !== 'sum' && reduction !== 'mean') {
    throw new Error(`rnntLoss: unknown reduction '${String(reduction)}'`);
  }
  const p = validateRnntInput(logits, shape, targets, logitLengths, blank);
  const { B, T, U1, V } = p;
  const { targets: flatTargets, targetStarts } = flattenTargets(targets);
  let work = 0;
  for (let b = 0; b < B; b++) work += p.frames[b]! * (targets[b]!.length + 1) * V;
  const requested = resolveThreads(options.threads); // validated even where the batch is too small to share
  const threads = work < PARALLEL_MIN_WORK ? 1 : Math.min(usableThreads(requested), B);
  const wantGrad = options.grad ?? true;
  const args: RnntTaskArgs = {
    logits, T, U1, V, blank,
    targets: flatTargets, targetStarts, frames: p.frames,
    gradScale: reduction === 'mean' ? 1 / B : 1,
    zeroInfinity: options.zeroInfinity ?? false,
    losses: new Float64Array(B),
    grad: wantGrad ? new Float32Array(logits.length) : null,
    badRows: new Int32Array(2 * B),
  };
  if (threads > 1) runShared(args, B, threads);
  else for (let b = 0; b < B; b++) rnntTask(args, b);

  // Errors and the reduction in a fixed order, whatever thread computed what.
  for (let b = 0; b < B; b++) {
    const t = args.badRows[2 * b]!;
    if (t < 0) continue;
    const u = args.badRows[2 * b + 1]!;
    const row = ((b * T + t) * U1 + u) * V;
    throw new Error(`rnntLoss: sequence ${b}: frame ${t}, label position ${u}: ${describeBadRow(logits, row, V)}`);
  }
  const { losses, grad } = args;
  let total = 0;
  for (let b = 0; b < B; b++) total += losses[b]!;
  const loss = reduction === 'mean' ? total / B : total;
  return grad ? { losses, loss, grad } : { losses, loss };
}
