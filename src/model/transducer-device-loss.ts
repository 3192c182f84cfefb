/**
 * The RNN-T objective's device form (webgpu): the prediction network, the joint network,
 * the RNN-T loss (rnnt-wgsl.ts: one workgroup per sequence walks its lattice by
 * anti-diagonals) and the backward of the joint and prediction networks all run on the
 * device, so an RNN-T step reads back once, as a CTC step does: the trainer's read of the
 * losses and the gradient norm.
 */
import type { Backend } from '../backend/index.js';
import { reduceRnntLosses, rnntLossOnDevice } from '../losses/rnnt-device.js';
import type { DeviceLoss } from './trainable.js';
import { deviceTransducer } from './transducer-joint-device.js';
import type { JointTrainable } from './transducer-objective.js';

/** What the device form needs of a transducer beyond the objective's needs: its backend. */
export interface DeviceJointTrainable<P> extends JointTrainable<P> {
  readonly backend: Backend;
}

/** The device form of transducerObjective for `model` ('mean': torchaudio's batch mean; 'sum'). */
export function transducerDeviceLoss<P>(model: DeviceJointTrainable<P>, reduction: 'mean' | 'sum'): DeviceLoss {
  let dLogits: Float32Array | undefined;
  return (_training, encP, shape, targets, frames, grad, losses) => {
    const be = model.backend;
    const pred = model.predictionForward(targets, true);
    const pass = model.jointLogits(encP, shape, frames, pred);
    const { B, T, U1, V } = pass.dims;
    const n = B * T * U1 * V;
    if (!dLogits || dLogits.length < n) {
      if (dLogits) be.free(dLogits);
      // array, not alloc: the garbage collector gives it back with the loss (a run replaces its
      // trainer, and so the loss, at the weight-noise phase)
      dLogits = be.array(Math.ceil(n * 1.25));
    }
    rnntLossOnDevice(deviceTransducer(be), pass.logits, [B, T, U1, V], targets, frames, dLogits.subarray(0, n), losses, { blank: model.blank, reduction });
    be.copy(model.jointBackward(pass, dLogits.subarray(0, n)), grad.subarray(0, shape[0] * shape[1] * shape[2]));
    return (read) => reduceRnntLosses(read, B, reduction);
  };
}
