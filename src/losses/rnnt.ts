/**
 * RNN Transducer loss (Graves 2012) with the log-softmax fused in: logits [B, T, U1, V]
 * in, per-sequence losses and d loss / d logits out.
 */
import { RnntLogitError, RnntWorkspace, rnntSequence } from './rnnt-kernel.js';
import { validateRnntInput } from './rnnt-validate.js';

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
   * Worker threads to spread the batch over (Node only); results are identical for any
   * count. Default: SAYRE_THREADS, else 1.
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
  const wantGrad = options.grad ?? true;
  const grad = wantGrad ? new Float32Array(logits.length) : null;
  const gradScale = reduction === 'mean' ? 1 / p.B : 1;
  const losses = new Float64Array(p.B);
  const ws = new RnntWorkspace();
  const block = p.T * p.U1 * p.V;
  for (let b = 0; b < p.B; b++) {
    try {
      losses[b] = rnntSequence(logits, grad, {
        T: p.T, U1: p.U1, V: p.V, offset: b * block, frames: p.frames[b]!, labels: targets[b]!,
        blank, gradScale, zeroInfinity: options.zeroInfinity ?? false,
      }, ws);
    } catch (e) {
      if (e instanceof RnntLogitError) throw new Error(`rnntLoss: sequence ${b}: ${e.message}`);
      throw e;
    }
  }
  let total = 0;
  for (let b = 0; b < p.B; b++) total += losses[b]!;
  const loss = reduction === 'mean' ? total / p.B : total;
  return grad ? { losses, loss, grad } : { losses, loss };
}
