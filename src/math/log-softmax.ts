/**
 * log-softmax of one row: dst[dstOff + j] = src[srcOff + j] - logsumexp(src[srcOff .. srcOff + n]).
 * Computed in float64 whatever the array types; returns the row's logsumexp.
 * A row holding NaN or +Infinity gives NaN (callers validate their input).
 */
export function logSoftmaxRow(
  src: ArrayLike<number>, srcOff: number, n: number,
  dst: { [i: number]: number }, dstOff: number,
): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = src[srcOff + j]!;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(src[srcOff + j]! - max);
  const lse = max + Math.log(sum);
  for (let j = 0; j < n; j++) dst[dstOff + j] = src[srcOff + j]! - lse;
  return lse;
}

/** log(exp(a) + exp(b)) without overflow; -Infinity is the identity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
