/**
 * The RNN-T objective's device form (webgpu), the read-back design the issue allows: the
 * prediction network, the joint network and their backward run on the device, but the loss
 * lattice runs on the host. A step reads the joint's logits [B, T', U1, V] back once, takes
 * rnntLoss and its gradient there (losses/rnnt.ts, the CPU's code), and uploads the
 * gradient and the per-sequence losses; backward then goes on on the device. With the
 * trainer's final read of the losses and the gradient norm, an RNN-T step reads back twice.
 */
import { rnntLoss } from '../losses/rnnt.js';
import type { DeviceLoss } from './trainable.js';
import type { JointOutput, JointTrainable } from './transducer-objective.js';

/** What the device form needs of a transducer beyond the objective's needs: its backend. */
export interface DeviceJointTrainable<P> extends JointTrainable<P> {
  readonly backend: { onDevice: boolean; read(a: Float32Array): Promise<Float32Array>; upload(a: Float32Array): void; copy(src: Float32Array, dst: Float32Array): void };
}

/** The device form of transducerObjective for `model` ('mean': torchaudio's batch mean; 'sum'). */
export function transducerDeviceLoss<P>(model: DeviceJointTrainable<P>, reduction: 'mean' | 'sum'): DeviceLoss {
  return async (_training, encP, shape, targets, frames, grad, losses) => {
    const be = model.backend;
    const pred = model.predictionForward(targets, true);
    const pass: JointOutput = model.jointLogits(encP, shape, frames, pred);
    const { B, T, U1, V } = pass.dims;
    await be.read(pass.logits); // the step's first read-back
    const r = rnntLoss(pass.logits, [B, T, U1, V], targets, frames, { blank: model.blank, reduction, grad: true });
    // the logits are not needed again: their array carries the gradient up
    pass.logits.set(r.grad!);
    be.upload(pass.logits);
    const lv = losses.subarray(0, B);
    lv.set(r.losses);
    be.upload(lv);
    be.copy(model.jointBackward(pass, pass.logits), grad.subarray(0, shape[0] * shape[1] * shape[2]));
    return (read) => {
      let sum = 0;
      for (let b = 0; b < B; b++) sum += read[b]!;
      return reduction === 'mean' ? sum / Math.max(1, B) : sum;
    };
  };
}
