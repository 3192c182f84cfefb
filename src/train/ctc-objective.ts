import { ctcLoss } from '../losses/ctc.js';
import { ctcLossOnDevice, reduceCtcLosses } from '../losses/ctc-device.js';
import type { LossFunction } from '../model/trainable.js';

/**
 * The CTC training objective as a {@link LossFunction}: ctcLoss over the model's logits,
 * 'mean' reduction (PyTorch's: per-sequence loss over target length, averaged) and, by
 * default, zeroInfinity, so that one impossible utterance (labels that cannot fit its
 * frames) drops out of the batch instead of making the whole update non-finite. On a
 * device backend (webgpu) its `device` form runs the same loss there.
 */
export function ctcObjective(options: { blank?: number; zeroInfinity?: boolean; reduction?: 'mean' | 'sum' } = {}): LossFunction {
  const opts = { blank: options.blank ?? 0, zeroInfinity: options.zeroInfinity ?? true, reduction: options.reduction ?? 'mean' };
  const loss: LossFunction = (logits, shape, targets, inputLengths) => ctcLoss(logits, shape, targets, inputLengths, opts);
  loss.device = (training, logits, shape, targets, inputLengths, grad, losses) => {
    const labels = ctcLossOnDevice(training, logits, shape, targets, inputLengths, grad, losses, opts);
    return (read) => reduceCtcLosses(read, labels, opts.reduction);
  };
  return loss;
}
