/**
 * Reorders idx[0..m) so that its first k entries are those with the k largest
 * values[idx[i]] (in no particular order). Quickselect with a median-of-three pivot;
 * deterministic, so that equal inputs always give the same beam.
 */
export function selectTop(values: Float64Array, idx: Int32Array, m: number, k: number): void {
  if (k >= m) return;
  let lo = 0;
  let hi = m - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const a = values[idx[lo]!]!;
    const b = values[idx[mid]!]!;
    const c = values[idx[hi]!]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[idx[i]!]! > pivot) i++;
      while (values[idx[j]!]! < pivot) j--;
      if (i <= j) {
        const t = idx[i]!;
        idx[i] = idx[j]!;
        idx[j] = t;
        i++;
        j--;
      }
    }
    // [lo..j] >= pivot, [i..hi] <= pivot
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}
