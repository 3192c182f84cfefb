/**
 * What a device backend (webgpu) adds so that a whole training step stays on the device:
 * the CTC loss, the gradient's squared norm, and the optimiser update, all on backend
 * arrays, with every decision that depends on values (skipping a step on a non-finite
 * loss) taken on the device. The CPU backends do not have it: their trainer runs on the
 * host (losses/ctc.ts, train/optimizers.ts).
 */
export interface DeviceTraining {
  /**
   * CTC loss of logits [T, B, C] (a backend array): grad [T, B, C] gets d loss / d logits
   * (every element written), losses[0 : B] each sequence's -log p (+Infinity, or 0 under
   * zeroInfinity, where its labels cannot fit; NaN only where even the log-space redo
   * of an underflowing sequence failed its check).
   */
  ctcLoss(logits: Float32Array, shape: readonly [number, number, number], labels: CtcLabels, grad: Float32Array, losses: Float32Array): void;

  /** out[0] = sum of squares of x (a one-element view). */
  sumSquares(x: Float32Array, out: Float32Array): void;

  /**
   * SGD with momentum (torch's: v = mu v + g; p -= lr v; velocity starts at zero), skipped
   * when any value of `stats` (the losses and the squared gradient norm) is not finite.
   */
  sgdStep(lr: number, momentum: number, params: Float32Array, grad: Float32Array, velocity: Float32Array, stats: Float32Array): void;
}

/** A batch's labels for {@link DeviceTraining.ctcLoss}, checked and flattened on the host. */
export interface CtcLabels {
  /** All label sequences concatenated; sequence b's are targets[targetStarts[b] .. targetStarts[b + 1]). */
  targets: Int32Array;
  targetStarts: Int32Array;
  inputLengths: Int32Array;
  /** Per sequence: 1 where the labels cannot fit the frames. */
  impossible: Uint8Array;
  /** Per sequence: the factor of its gradient (the reduction's). */
  gradScales: Float32Array;
  blank: number;
  zeroInfinity: boolean;
}
