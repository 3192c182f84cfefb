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
   * torch's clip_grad_norm_: scales `grad` by maxNorm / (norm + 1e-6) where the norm, the
   * square root of `sq[0]` (a one-element view, from {@link DeviceTraining.sumSquares}), is
   * finite and above maxNorm.
   */
  clipGrad(grad: Float32Array, maxNorm: number, sq: Float32Array): void;

  /**
   * SGD as torch.optim.SGD (v = mu v + g, velocity starting at zero; Nesterov and weight
   * decay as there), skipped when any value of `stats` (the losses and the squared
   * gradient norm) is not finite.
   */
  sgdStep(o: SgdStepOptions, params: Float32Array, grad: Float32Array, velocity: Float32Array, stats: Float32Array): void;

  /** Adam as torch.optim.Adam (moments starting at zero), skipped as {@link DeviceTraining.sgdStep} is. */
  adamStep(o: AdamStepOptions, params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, stats: Float32Array): void;

  /**
   * x += sigma * z, z standard normal from a counter-based generator keyed by the two
   * 32-bit seeds: the same seeds give the same noise.
   */
  addNoise(x: Float32Array, sigma: number, seeds: readonly [number, number]): void;
}

/** The hyper-parameters of one {@link DeviceTraining.sgdStep}. */
export interface SgdStepOptions {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * The hyper-parameters of one {@link DeviceTraining.adamStep}, bias corrections included:
 * stepSize = lr / (1 - beta1^t), c2 = sqrt(1 - beta2^t) at step t.
 */
export interface AdamStepOptions {
  stepSize: number;
  c2: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
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
