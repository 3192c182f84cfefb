import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLOAT16_MAX, float16Bits, float16Value, fromFloat16, toFloat16 } from '../../src/math/float16.js';
import { rng } from '../helpers/compare.js';

/** Every finite non-negative binary16 value, ascending (bits 0x0000 to 0x7bff). */
const FINITE = Array.from({ length: 0x7c00 }, (_, b) => float16Value(b));

/** Slow reference: the nearest finite binary16 to a non-negative x by search, ties to the even bit pattern. */
function nearestBits(x: number): number {
  // 65520 is halfway from 65504 to 2^16, where the next exponent would start: it and beyond round to Infinity (even bits)
  if (x >= FLOAT16_MAX) return x >= 65520 ? 0x7c00 : 0x7bff;
  let lo = 0, hi = FINITE.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (FINITE[mid]! <= x) lo = mid; else hi = mid;
  }
  const dl = x - FINITE[lo]!, dh = FINITE[hi]! - x;
  if (dl < dh) return lo;
  if (dh < dl) return hi;
  return lo % 2 === 0 ? lo : hi;
}

describe('float16', () => {
  it('widens every bit pattern exactly: anchors, order, and each finite value narrows back to its bits', () => {
    assert.equal(float16Value(0x3c00), 1);
    assert.equal(float16Value(0xc000), -2);
    assert.equal(float16Value(0x7bff), 65504);
    assert.equal(float16Value(0x0001), 2 ** -24);
    assert.equal(float16Value(0x03ff), 1023 * 2 ** -24);
    assert.equal(float16Value(0x0400), 2 ** -14);
    assert.equal(float16Value(0x3555), 0.333251953125);
    assert.equal(float16Value(0x7c00), Infinity);
    assert.equal(float16Value(0xfc00), -Infinity);
    assert.ok(Number.isNaN(float16Value(0x7e00)));
    assert.ok(Object.is(float16Value(0x8000), -0));
    for (let b = 1; b < 0x7c00; b++) assert.ok(FINITE[b]! > FINITE[b - 1]!, `0x${b.toString(16)} is not above the one before`);
    for (let b = 0; b < 0x10000; b++) {
      if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) continue; // NaNs
      assert.equal(float16Bits(float16Value(b)), b, `0x${b.toString(16)}`);
    }
    const all = Uint16Array.from({ length: 0x7c00 }, (_, b) => b);
    assert.deepEqual(toFloat16(fromFloat16(all)), all);
  });

  it('narrows to the nearest value, ties to even, as a search over every binary16 says', () => {
    const next = rng(5);
    const xs: number[] = [];
    // every halfway point between neighbours (exact in float32) and a hair either side of it
    for (let b = 0; b < 0x7bff; b += 7) {
      const mid = Math.fround((FINITE[b]! + FINITE[b + 1]!) / 2);
      xs.push(mid, Math.fround(mid * (1 + 2 ** -20)), Math.fround(mid * (1 - 2 ** -20)));
    }
    for (let i = 0; i < 20000; i++) xs.push(Math.fround(Math.exp(next() * 40 - 25)));
    xs.push(0, 2 ** -25, 3 * 2 ** -26, 2 ** -26, 65504, 65519.99, 65520, 1e6, 1e-30);
    for (const x of xs) {
      assert.equal(float16Bits(x), nearestBits(x), `${x}`);
      assert.equal(float16Bits(-x), nearestBits(x) | 0x8000, `${-x}`);
    }
    assert.equal(float16Bits(Infinity), 0x7c00);
    assert.equal(float16Bits(-Infinity), 0xfc00);
    assert.equal(float16Bits(NaN) & 0x7e00, 0x7e00);
  });
});
