/**
 * Connectionist Temporal Classification loss with its gradient, over unnormalised
 * time-major logits: the log-softmax is fused in, everything is float64, sequences are
 * spread over worker threads in Node (see src/parallel/pool.ts).
 */
import { runParallel, usableThreads } from '../parallel/pool.js';
import { SharedScratch, copyBytes, uninitialisedF32, unsharedCopy } from '../parallel/shared-memory.js';
import { resolveThreads } from '../parallel/threads.js';
import { ctcSequence, type CtcTaskArgs } from './ctc-task.js';
import { validateCtcInputs } from './ctc-validate.js';

/** How per-sequence losses combine: PyTorch's meanings. */
export type CtcReduction = 'none' | 'sum' | 'mean';

export interface CtcLossOptions {
  /** The blank class. Default 0. */
  blank?: number;
  /**
   * 'mean' (default): each loss divided by its target length (at least 1), then averaged
   * over the batch, as PyTorch does. 'sum': summed. 'none': `loss` is the sum and `grad`
   * is that of the sum.
   */
  reduction?: CtcReduction;
  /** Impossible targets give loss 0 (and zero gradient) instead of +Infinity. Default false. */
  zeroInfinity?: boolean;
  /** Compute d loss / d logits. Default true. */
  grad?: boolean;
  /**
   * Write the gradient here (length T * B * C, every element written) instead of into a new
   * array: a training loop that keeps one buffer saves an allocation per call. On a
   * SharedArrayBuffer, threads write it directly (pass logits on one too: no copies at all).
   */
  gradOut?: Float32Array;
  /**
   * Threads (the calling one included) to spread the batch over; default $SAYRE_THREADS,
   * else min(2, cores). Results are bit-identical whatever the count.
   */
  threads?: number;
}

export interface CtcLossResult {
  /** -log p(target | logits) per sequence (+Infinity where impossible, 0 under zeroInfinity). */
  losses: Float64Array;
  /** The reduced loss. */
  loss: number;
  /** d loss / d logits [T, B, C]; zero on frames t >= inputLengths[b] and for impossible sequences. */
  grad?: Float32Array;
}

/**
 * Below this much work (frames x (classes + lattice states), summed over the batch) a call
 * runs on the calling thread: handing work to a thread costs tens of microseconds.
 */
const PARALLEL_MIN_WORK = 50_000;

/** Shared buffers for runs over threads, kept between calls. */
const scratch = new SharedScratch();

/**
 * CTC loss (Graves et al. 2006) of a batch, with the gradient with respect to the logits.
 *
 * @param logits unnormalised scores, time-major [T, B, C] (frame t of sequence b at (t * B + b) * C).
 * @param shape [T, B, C].
 * @param targets per sequence, its label ids (none equal to blank), unpadded.
 * @param inputLengths per sequence, its frames (<= T); later frames are ignored.
 * @throws Error naming the sequence and the problem for malformed input or non-finite logits.
 */
export function ctcLoss(
  logits: Float32Array, shape: readonly [number, number, number], targets: readonly ArrayLike<number>[],
  inputLengths: ArrayLike<number>, options: CtcLossOptions = {},
): CtcLossResult {
  const blank = options.blank ?? 0;
  const reduction = options.reduction ?? 'mean';
  const wantGrad = options.grad ?? true;
  const v = validateCtcInputs(logits, shape, targets, inputLengths, blank, reduction);
  const [T, B, C] = shape;
  const gradScales = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    const L = v.targetStarts[b + 1]! - v.targetStarts[b]!;
    gradScales[b] = reduction === 'mean' ? 1 / (Math.max(L, 1) * B) : 1;
  }
  let work = 0;
  for (let b = 0; b < B; b++) work += v.inputLengths[b]! * (C + 2 * (v.targetStarts[b + 1]! - v.targetStarts[b]!) + 1);
  const requested = resolveThreads(options.threads); // validated even where unused
  const threads = work < PARALLEL_MIN_WORK ? 1 : Math.min(usableThreads(requested), B);
  const parallel = threads > 1;
  const size = T * B * C;
  const out = wantGrad ? options.gradOut : undefined;
  if (out !== undefined && (!(out instanceof Float32Array) || out.length !== size)) {
    throw new Error(`ctcLoss: gradOut must be a Float32Array of T * B * C = ${size} values`);
  }
  const args: CtcTaskArgs = {
    logits: parallel ? scratch.share('logits', logits) : logits,
    T, B, C, blank,
    targets: v.targets,
    targetStarts: v.targetStarts,
    inputLengths: v.inputLengths,
    losses: new Float64Array(B),
    grad: wantGrad && !parallel ? (out ?? uninitialisedF32(size)) : null,
    gradScales,
  };
  if (parallel) {
    // Threads write to shared scratch; the caller gets fresh, unshared copies.
    args.losses = scratch.f64('losses', B);
    if (wantGrad) args.grad = out?.buffer instanceof SharedArrayBuffer ? out : scratch.f32('grad', size);
  }
  runParallel({ module: new URL('./ctc-task.js', import.meta.url).href, fn: 'ctcSequence' }, ctcSequence, args, B, threads);

  // Fresh, unshared copies: the scratch is reused by the next call.
  const losses = parallel ? unsharedCopy(args.losses) : args.losses;
  let grad = args.grad;
  if (parallel && grad && grad !== out) grad = out ? copyBytes(grad, out) : unsharedCopy(grad);
  // Reduce in a fixed order, whatever thread computed what.
  let total = 0;
  for (let b = 0; b < B; b++) {
    if (losses[b] === Infinity && options.zeroInfinity) losses[b] = 0;
    const L = v.targetStarts[b + 1]! - v.targetStarts[b]!;
    total += reduction === 'mean' ? losses[b]! / Math.max(L, 1) : losses[b]!;
  }
  const loss = reduction === 'mean' ? (B > 0 ? total / B : 0) : total; // an empty batch has loss 0, not NaN
  return grad ? { losses, loss, grad } : { losses, loss };
}
