/**
 * The RNN-T loss where the logits live on a device backend (webgpu): targets are checked
 * and flattened on the host (as rnntLoss checks them), the forward-backward and the
 * gradient run on the device (backend/device-transducer.ts), and the per-sequence losses
 * come back with the step's one read-back, to be reduced here as rnntLoss reduces them.
 */
import type { DeviceTransducer, RnntLabels } from '../backend/index.js';
import { flattenTargets, validateRnntInput } from './rnnt-validate.js';

/** Reductions of the device loss: rnntLoss's 'mean' (the plain batch mean, torchaudio's) and 'sum'. */
export type RnntDeviceReduction = 'mean' | 'sum';

/** Checks a batch's targets and frames (as rnntLoss does) and lays them out for the device. */
export function rnntLabels(
  logits: Float32Array, shape: readonly [number, number, number, number], targets: readonly ArrayLike<number>[],
  logitLengths: ArrayLike<number>, options: { blank?: number; reduction?: RnntDeviceReduction } = {},
): RnntLabels {
  const blank = options.blank ?? 0;
  const p = validateRnntInput(logits, shape, targets, logitLengths, blank);
  return { ...flattenTargets(targets), frames: p.frames, blank, gradScale: (options.reduction ?? 'mean') === 'mean' ? 1 / p.B : 1 };
}

/** rnntLoss's reduction of per-sequence losses read back from the device. */
export function reduceRnntLosses(losses: ArrayLike<number>, B: number, reduction: RnntDeviceReduction = 'mean'): number {
  let total = 0;
  for (let b = 0; b < B; b++) total += losses[b]!;
  return reduction === 'mean' ? total / B : total;
}

/**
 * Enqueues the RNN-T loss of device logits [B, T, U1, V]: grad (same shape) and
 * losses[0 : B] are backend arrays, filled when the device gets there.
 */
export function rnntLossOnDevice(
  device: DeviceTransducer, logits: Float32Array, shape: readonly [number, number, number, number],
  targets: readonly ArrayLike<number>[], logitLengths: ArrayLike<number>, grad: Float32Array, losses: Float32Array,
  options: { blank?: number; reduction?: RnntDeviceReduction } = {},
): RnntLabels {
  const labels = rnntLabels(logits, shape, targets, logitLengths, options);
  device.rnntLoss(logits, shape, labels, grad, losses);
  return labels;
}
