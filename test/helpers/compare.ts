import assert from 'node:assert/strict';

/** Largest |a - b| over two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'length mismatch');
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = d; // NaN propagates as NaN
  }
  return m;
}

/** Asserts every element agrees within `tol` absolute. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'tensor'): void {
  const d = maxAbsDiff(actual, expected);
  assert.ok(d <= tol, `${what}: max abs diff ${d} > ${tol}`);
}

/**
 * Asserts "within tol relative" as the issues define it: the largest absolute difference
 * divided by the largest absolute reference value.
 */
export function assertRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'tensor'): void {
  const d = maxAbsDiff(actual, expected);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  const rel = scale === 0 ? d : d / scale;
  assert.ok(rel <= tol, `${what}: relative diff ${rel} > ${tol} (abs ${d}, scale ${scale})`);
}

/** A small seeded PRNG (mulberry32) for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32Array of n uniform values in [-scale, scale). */
export function randomArray(n: number, next: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}
