import assert from 'node:assert/strict';

/**
 * Checks an analytic gradient against central differences of a float64 loss at `count`
 * coordinates of `values` (chosen evenly), perturbing in place and restoring.
 * Tolerance is relative to the largest analytic gradient magnitude.
 */
export function checkFiniteDifferences(
  what: string, values: Float32Array, analytic: ArrayLike<number>, loss: () => number,
  { eps = 1e-2, tol = 2e-3, count = 24 }: { eps?: number; tol?: number; count?: number } = {},
): void {
  let scale = 0;
  for (let i = 0; i < analytic.length; i++) scale = Math.max(scale, Math.abs(analytic[i]!));
  assert.ok(scale > 0, `${what}: analytic gradient is all zero`);
  const step = Math.max(1, Math.floor(values.length / count));
  for (let i = 0; i < values.length; i += step) {
    const orig = values[i]!;
    values[i] = orig + eps;
    const up = loss();
    values[i] = orig - eps;
    const down = loss();
    values[i] = orig;
    const numeric = (up - down) / (2 * eps);
    const err = Math.abs(numeric - analytic[i]!) / scale;
    assert.ok(err <= tol, `${what}[${i}]: numeric ${numeric} vs analytic ${analytic[i]} (rel ${err})`);
  }
}

/** sum(y * r) in float64. */
export function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * r[i]!;
  return s;
}
