/**
 * RNN Transducer loss (Graves 2012) with the log-softmax fused in: logits [B, T, U1, V]
 * in, per-sequence losses and d loss / d logits out.
 */
import { runParallel, usableThreads } from '../parallel/pool.js';
import { SharedScratch, unsharedCopy } from '../parallel/shared-memory.js';
import { resolveThreads } from '../parallel/threads.js';
import { describeBadRow } from './rnnt-kernel.js';
import { rnntTask, type RnntTaskArgs } from './rnnt-task.js';
import { validateRnntInput } from './rnnt-validate.js';

/**
 * Below this much work (logits read, summed over the batch) a call runs on the calling
 * thread: handing work to another thread costs tens of microseconds.
 */
export const PARALLEL_MIN_WORK = 100_000;

/** Shared buffers for runs over threads, kept between calls (a fresh SharedArrayBuffer costs page faults). */
const scratch = new SharedScratch();

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
  const targetStarts = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) targetStarts[b + 1] = targetStarts[b]! + targets[b]!.length;
  const flatTargets = new Int32Array(targetStarts[B]!);
  for (let b = 0; b < B; b++) flatTargets.set(targets[b]!, targetStarts[b]!);
  let work = 0;
  for (let b = 0; b < B; b++) work += p.frames[b]! * (targets[b]!.length + 1) * V;
  const requested = resolveThreads(options.threads); // validated even where the batch is too small to share
  const threads = work < PARALLEL_MIN_WORK ? 1 : Math.min(usableThreads(requested), B);
  const parallel = threads > 1;
  const wantGrad = options.grad ?? true;
  const args: RnntTaskArgs = {
    logits: parallel ? scratch.share('logits', logits) : logits,
    T, U1, V, blank,
    targets: flatTargets, targetStarts, frames: p.frames,
    gradScale: reduction === 'mean' ? 1 / B : 1,
    zeroInfinity: options.zeroInfinity ?? false,
    losses: parallel ? scratch.f64('losses', B) : new Float64Array(B),
    // the kernel leaves padded rows alone: they must start at zero
    grad: !wantGrad ? null : parallel ? scratch.f32('grad', logits.length).fill(0) : new Float32Array(logits.length),
    badRows: parallel ? scratch.i32('badRows', 2 * B) : new Int32Array(2 * B),
  };
  runParallel({ module: new URL('./rnnt-task.js', import.meta.url).href, fn: 'rnntTask' }, rnntTask, args, B, threads);

  // Errors and the reduction in a fixed order, whatever thread computed what.
  for (let b = 0; b < B; b++) {
    const t = args.badRows[2 * b]!;
    if (t < 0) continue;
    const u = args.badRows[2 * b + 1]!;
    const row = ((b * T + t) * U1 + u) * V;
    throw new Error(`rnntLoss: sequence ${b}: frame ${t}, label position ${u}: ${describeBadRow(logits, row, V)}`);
  }
  // The caller's own arrays: the scratch is overwritten by the next call.
  const losses = parallel ? unsharedCopy(args.losses) : args.losses;
  const grad = args.grad && parallel ? unsharedCopy(args.grad) : args.grad;
  let total = 0;
  for (let b = 0; b < B; b++) total += losses[b]!;
  const loss = reduction === 'mean' ? total / B : total;
  return grad ? { losses, loss, grad } : { losses, loss };
}
