/** The L2 norm of a gradient vector, accumulated in float64. */
export function gradNorm(grad: Float32Array): number {
  let s = 0;
  for (let i = 0; i < grad.length; i++) s += grad[i]! * grad[i]!;
  return Math.sqrt(s);
}

/**
 * Scales `grad` in place so that its L2 norm is at most maxNorm (torch's
 * clip_grad_norm_). Returns the norm before clipping; a non-finite norm leaves the
 * gradient unchanged so that the caller can see and skip the step.
 */
export function clipGradNorm(grad: Float32Array, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = gradNorm(grad);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (let i = 0; i < grad.length; i++) grad[i]! *= scale;
  }
  return norm;
}
