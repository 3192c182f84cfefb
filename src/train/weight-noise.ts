import type { Random } from '../math/random.js';

/**
 * Graves's weight noise: zero-mean Gaussian noise of standard deviation sigma added to
 * every weight once per minibatch (never per time step). The gradient is taken at the
 * noisy weights and applied to the clean ones:
 *
 *   noise.perturb(params.data, rng); forward; backward; noise.restore(params.data); optimiser step
 *
 * No noise at evaluation. sigma = 0 touches nothing and draws no random numbers.
 */
export class WeightNoise {
  private clean: Float32Array | undefined;
  private noise: Float32Array | undefined;
  private perturbed = false;

  constructor(readonly sigma: number) {
    if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new Error(`WeightNoise: sigma must be finite and >= 0, got ${sigma}`);
  }

  /** True between perturb and restore. */
  get active(): boolean {
    return this.perturbed;
  }

  /** Adds fresh noise to `weights` (keeping the clean values for {@link WeightNoise.restore}). */
  perturb(weights: Float32Array, rng: Random): void {
    if (this.perturbed) throw new Error('WeightNoise.perturb: weights are already perturbed (call restore first)');
    if (this.sigma === 0) return;
    const n = weights.length;
    if (!this.clean || this.clean.length !== n) {
      this.clean = new Float32Array(n);
      this.noise = new Float32Array(n);
    }
    this.clean.set(weights);
    rng.fillNormal(this.noise!, this.sigma);
    for (let i = 0; i < n; i++) weights[i]! += this.noise![i]!;
    this.perturbed = true;
  }

  /** Puts the clean weights back (the gradient computed meanwhile stays as it is). */
  restore(weights: Float32Array): void {
    if (this.sigma === 0) return;
    if (!this.perturbed) throw new Error('WeightNoise.restore: weights are not perturbed');
    weights.set(this.clean!);
    this.perturbed = false;
  }
}
