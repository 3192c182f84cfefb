/**
 * Quantiles by selection: what sorting a copy and reading a few ranks gives, in linear
 * time. A text line's ink levels come from three quantiles of every pixel of the image,
 * and sorting them cost a line about as much as its largest convolution layer.
 */

/**
 * For each q of `qs`, the value at rank min(n - 1, floor(q * n)) of `values` sorted
 * ascending as Float32Array's sort orders them (-0 before +0, NaN last); NaN for an empty
 * array. `values` is left unchanged. The ranks are found in the order given, each within
 * the part of the array that the ones before it leave, so a median first halves the work
 * of the rest.
 */
export function quantiles(values: Float32Array, qs: readonly number[]): number[] {
  const n = values.length;
  const a = new Float32Array(n);
  // NaNs go last, as the sort puts them; selection runs over the m numbers before them.
  let m = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) a[m++] = values[i]!;
  a.fill(NaN, m);
  const found: number[] = []; // ranks already in place
  return qs.map((q) => {
    const k = Math.min(n - 1, Math.floor(q * n));
    if (k < 0 || k >= m) return NaN;
    // Between the nearest ranks already in place, nothing is smaller than the one below
    // or greater than the one above: rank k is found there.
    let lo = 0, hi = m - 1;
    for (const f of found) {
      if (f <= k) lo = Math.max(lo, f);
      if (f >= k) hi = Math.min(hi, f);
    }
    select(a, lo, hi, k);
    found.push(k);
    return a[k] === 0 ? signedZero(values, k) : a[k]!;
  });
}

/**
 * Puts the value of rank k (among a[lo..hi]) at a[k], smaller or equal ones left of it and
 * greater or equal ones right (Hoare's FIND with a median-of-three pivot).
 */
function select(a: Float32Array, lo: number, hi: number, k: number): void {
  while (lo < hi) {
    const x = median3(a[lo]!, a[(lo + hi) >> 1]!, a[hi]!);
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** The zero at rank k of the sorted values: -0 while the ranks of negatives and -0s last. */
function signedZero(values: Float32Array, k: number): number {
  let below = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || Object.is(values[i], -0)) below++;
  return k < below ? -0 : 0;
}
