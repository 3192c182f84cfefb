/** quantiles() against sorting a copy and reading the ranks, value for value (signed zeros and NaN included). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantiles } from '../../src/math/quantiles.js';
import { rng } from '../helpers/compare.js';

/** The rank each q reads from the sorted copy, as the callers did before selection. */
function bySorting(values: Float32Array, qs: readonly number[]): number[] {
  const sorted = values.slice().sort();
  return qs.map((q) => {
    const v = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return v === undefined ? NaN : v;
  });
}

const QS = [0.5, 0.01, 0.99, 0, 1, 0.1, 0.95, 0.5];

test('quantiles equal the sorted copy\'s ranks: few distinct values (an image\'s paper), NaN, signed zeros, sorted and reversed runs', () => {
  const next = rng(4);
  const kinds: ((n: number) => Float32Array)[] = [
    (n) => Float32Array.from({ length: n }, () => (next() < 0.8 ? 1 : Math.round(next() * 255) / 255)),
    (n) => Float32Array.from({ length: n }, () => next() * 2 - 1),
    (n) => Float32Array.from({ length: n }, () => [NaN, 0, -0, 1, -1, Infinity, -Infinity][Math.floor(next() * 7)]!),
    (n) => Float32Array.from({ length: n }, (_, i) => i),
    (n) => Float32Array.from({ length: n }, (_, i) => n - i),
    (n) => new Float32Array(n).fill(-0),
    (n) => new Float32Array(n).fill(NaN),
  ];
  for (const make of kinds) {
    for (const n of [0, 1, 2, 3, 10, 101, 5000]) {
      const values = make(n), copy = values.slice();
      const got = quantiles(values, QS), want = bySorting(values, QS);
      got.forEach((v, i) => assert.ok(Object.is(v, want[i]), `n=${n} q=${QS[i]}: ${v} instead of ${want[i]}`));
      assert.deepStrictEqual(values, copy, 'values left unchanged');
    }
  }
});
