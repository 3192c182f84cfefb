/**
 * What a device backend (webgpu) adds so that an RNN-T training step stays on the device:
 * the joint network's elementwise steps (the tanh of every (frame, label position) sum, and
 * its backward reduced onto both terms; the joint's products are the backend's gemm) and
 * the RNN-T loss. The CPU backends do not have it: their joint runs these steps as host
 * loops (model/transducer-joint.ts) and the loss is losses/rnnt.ts.
 */
export interface DeviceTransducer {
  /**
   * hidden [B, T, U1, J] = tanh(encP[t, b, :] + predP[b, u, :]) for t < frames[b] and
   * u < labels[b] (a target's length + 1); zero elsewhere. encP [T, B, J], predP [B, U1, J].
   */
  jointHidden(d: JointShape, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array, hidden: Float32Array): void;

  /**
   * With g = dHidden * (1 - hidden^2) over [B, T, U1, J] (positions past frames[b] or
   * labels[b] count as zero): dEncP [T, B, J] = g summed over u, dPredP [B, U1, J] = g
   * summed over t (both overwritten).
   */
  jointBackward(d: JointShape, frames: Int32Array, labels: Int32Array, hidden: Float32Array, dHidden: Float32Array, dEncP: Float32Array, dPredP: Float32Array): void;

  /**
   * The RNN-T loss of logits [B, T, U1, V] (a backend array; the log-softmax fused in):
   * losses[0 : B] get each sequence's -log P(y | x) (NaN where the device's check of it
   * fails), grad [B, T, U1, V] gets scale * d loss / d logits (every element written,
   * zero outside each sequence's lattice).
   */
  rnntLoss(logits: Float32Array, shape: readonly [number, number, number, number], labels: RnntLabels, grad: Float32Array, losses: Float32Array): void;
}

/** A batch's targets for {@link DeviceTransducer.rnntLoss}, checked and flattened on the host. */
export interface RnntLabels {
  /** All targets concatenated; sequence b's are targets[targetStarts[b] .. targetStarts[b + 1]). */
  targets: Int32Array;
  targetStarts: Int32Array;
  /** Valid frames per sequence (1 .. T). */
  frames: Int32Array;
  blank: number;
  /** The gradient's factor (the reduction's: 1 / B for the mean, else 1). */
  gradScale: number;
}

/** Sizes of a joint pass over a batch. */
export interface JointShape {
  B: number;
  T: number;
  U1: number;
  J: number;
}
