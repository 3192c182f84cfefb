import { ctcLoss } from '../losses/ctc.js';
import type { LossFunction } from '../model/trainable.js';

/**
 * The CTC training objective as a {@link LossFunction}: ctcLoss over the model's logits,
 * 'mean' reduction (PyTorch's: per-sequence loss over target length, averaged) and, by
 * default, zeroInfinity, so that one impossible utterance (labels that cannot fit its
 * frames) drops out of the batch instead of making the whole update non-finite.
 */
export function ctcObjective(options: { blank?: number; zeroInfinity?: boolean; reduction?: 'mean' | 'sum' } = {}): LossFunction {
  const opts = { blank: options.blank ?? 0, zeroInfinity: options.zeroInfinity ?? true, reduction: options.reduction ?? 'mean' };
  return (logits, shape, targets, inputLengths) => ctcLoss(logits, shape, targets, inputLengths, opts);
}
