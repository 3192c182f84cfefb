/**
 * Connectionist Temporal Classification loss with its gradient, over unnormalised
 * time-major logits: the log-softmax is fused in, everything is float64, sequences are
 * spread over worker threads in Node (see src/parallel/pool.ts).
 */
import { runParallel, usableThreads } from '../parallel/pool.js';
import { SharedScratch, callerShare, uninitialisedF32 } from '../parallel/shared-memory.js';
import { copyRow } from './softmax-rows.js';
import { resolveThreads } from '../backend/threads.js';
import { badLogitError, ctcSequence, type CtcTaskArgs } from './ctc-task.js';
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

/** What workers run: ctcSequence, which the calling thread calls directly. */
const TASK = { module: new URL('./ctc-task.js', import.meta.url).href, fn: 'ctcSequence' };

/** Shared buffers for runs over threads, kept between calls. */
const scratch = new SharedScratch();

/**
 * The batch over threads. The calling thread keeps a first share of the sequences (about
 * 1/threads of the work) and works on them straight from the caller's arrays; only the
 * rest go through shared memory: their logits rows in, their losses and gradient rows out.
 */
function runShared(args: CtcTaskArgs, inputLengths: Int32Array, threads: number): void {
  const { T, B, C } = args;
  const cost = (b: number): number => inputLengths[b]! * (C + 2 * (args.targetStarts[b + 1]! - args.targetStarts[b]!) + 1);
  const k = callerShare(B, threads, cost);
  const size = T * B * C;
  const logitsShared = args.logits.buffer instanceof SharedArrayBuffer;
  const gradShared = args.grad?.buffer instanceof SharedArrayBuffer;
  const shared: CtcTaskArgs = {
    ...args,
    first: k,
    logits: logitsShared ? args.logits : scratch.f32('logits', size),
    losses: scratch.f64('losses', B),
    badFrames: scratch.i32('badFrames', B).fill(-1),
    grad: args.grad === null ? null : gradShared ? args.grad : scratch.f32('grad', size),
  };
  const n = (B - k) * C; // sequences k.. of frame t lie together: (t * B + k) * C onwards
  if (!logitsShared) for (let t = 0; t < T; t++) copyRow(args.logits, (t * B + k) * C, n, shared.logits, (t * B + k) * C);
  runParallel(TASK, ctcSequence, shared, B - k, threads, () => {
    for (let b = 0; b < k; b++) ctcSequence(args, b);
  });
  args.losses.set(shared.losses.subarray(k, B), k);
  for (let b = k; b < B; b++) args.badFrames[b] = shared.badFrames[b]!;
  if (args.grad && !gradShared) for (let t = 0; t < T; t++) copyRow(shared.grad!, (t * B + k) * C, n, args.grad, (t * B + k) * C);
}

/**
 * CTC loss (Graves et al. 2006) of a batch, with the gradient with respect to the logits.
 *
 * The log-softmax is fused in and the gradient is d loss / d logits (not PyTorch's
 * log_probs contract). The forward-backward is float64, rescaled per frame and checked
 * frame by frame, else redone in log space; each frame's softmax normaliser is a float64
 * sum of single-precision SIMD exponentials (about 1e-7 relative), the target classes'
 * probabilities are float64. Sequences run on `threads` threads with bit-identical results.
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
  const losses = new Float64Array(B);
  const grad = wantGrad ? (out ?? uninitialisedF32(size)) : null;
  const badFrames = new Int32Array(B).fill(-1);
  const args: CtcTaskArgs = {
    logits, T, B, C, blank, targets: v.targets, targetStarts: v.targetStarts, inputLengths: v.inputLengths,
    losses, grad, gradScales, badFrames,
  };
  if (parallel) runShared(args, v.inputLengths, threads);
  else for (let b = 0; b < B; b++) ctcSequence(args, b);
  // Bad logits: the first sequence in batch order, whatever the thread count.
  for (let b = 0; b < B; b++) if (badFrames[b]! >= 0) throw badLogitError(logits, B, C, b, badFrames[b]!);
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
