/**
 * The RNN-T joint network's elementwise steps on a device backend (webgpu): the tanh of
 * every (frame, label position) sum, and its backward reduced onto both terms. The joint's
 * products are the backend's gemm; these are what a gemm cannot do. The CPU backends do
 * not have it: their joint runs these steps as host loops (model/transducer-joint.ts).
 */
export interface DeviceJoint {
  /**
   * hidden [B, T, U1, J] = tanh(encP[t, b, :] + predP[b, u, :]) for t < frames[b] and
   * u < labels[b] (a target's length + 1); zero elsewhere. encP [T, B, J], predP [B, U1, J].
   */
  hidden(d: JointShape, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array, hidden: Float32Array): void;

  /**
   * With g = dHidden * (1 - hidden^2) over [B, T, U1, J] (positions past frames[b] or
   * labels[b] count as zero): dEncP [T, B, J] = g summed over u, dPredP [B, U1, J] = g
   * summed over t (both overwritten).
   */
  backward(d: JointShape, frames: Int32Array, labels: Int32Array, hidden: Float32Array, dHidden: Float32Array, dEncP: Float32Array, dPredP: Float32Array): void;
}

/** Sizes of a joint pass over a batch. */
export interface JointShape {
  B: number;
  T: number;
  U1: number;
  J: number;
}
