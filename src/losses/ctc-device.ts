/**
 * The CTC loss where the logits live on a device backend (webgpu): labels are checked and
 * flattened on the host, the forward-backward runs on the device (backend/device-training.ts),
 * and the per-sequence losses come back with the step's one read-back, to be reduced here
 * exactly as ctcLoss reduces them.
 */
import type { CtcLabels, DeviceTraining } from '../backend/index.js';
import { framesNeeded } from './ctc-task.js';
import type { CtcReduction } from './ctc.js';
import { validateCtcInputs } from './ctc-validate.js';

/** Options of {@link ctcLabels}: ctcLoss's. */
export interface CtcDeviceOptions {
  blank?: number;
  reduction?: CtcReduction;
  zeroInfinity?: boolean;
}

/** Checks a batch's labels (as ctcLoss does) and lays them out for the device kernel. */
export function ctcLabels(
  logits: Float32Array, shape: readonly [number, number, number], targets: readonly ArrayLike<number>[],
  inputLengths: ArrayLike<number>, options: CtcDeviceOptions = {},
): CtcLabels {
  const blank = options.blank ?? 0, reduction = options.reduction ?? 'mean';
  const v = validateCtcInputs(logits, shape, targets, inputLengths, blank, reduction);
  const B = shape[1];
  const impossible = new Uint8Array(B);
  const gradScales = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    const s = v.targetStarts[b]!, e = v.targetStarts[b + 1]!;
    impossible[b] = framesNeeded(v.targets, s, e) > v.inputLengths[b]! ? 1 : 0;
    gradScales[b] = reduction === 'mean' ? 1 / (Math.max(e - s, 1) * B) : 1;
  }
  return { ...v, impossible, gradScales, blank, zeroInfinity: options.zeroInfinity ?? false };
}

/** ctcLoss's reduction of per-sequence losses read back from the device. */
export function reduceCtcLosses(losses: ArrayLike<number>, labels: CtcLabels, reduction: CtcReduction = 'mean'): number {
  const B = labels.inputLengths.length;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const L = labels.targetStarts[b + 1]! - labels.targetStarts[b]!;
    total += reduction === 'mean' ? losses[b]! / Math.max(L, 1) : losses[b]!;
  }
  return reduction === 'mean' ? (B > 0 ? total / B : 0) : total;
}

/**
 * Enqueues the CTC loss of device logits: grad [T, B, C] and losses[0 : B] are backend
 * arrays, filled when the device gets there. Returns the labels, for
 * {@link reduceCtcLosses} once the losses are read back.
 */
export function ctcLossOnDevice(
  training: DeviceTraining, logits: Float32Array, shape: readonly [number, number, number],
  targets: readonly ArrayLike<number>[], inputLengths: ArrayLike<number>,
  grad: Float32Array, losses: Float32Array, options: CtcDeviceOptions = {},
): CtcLabels {
  const labels = ctcLabels(logits, shape, targets, inputLengths, options);
  training.ctcLoss(logits, shape, labels, grad, losses);
  return labels;
}
