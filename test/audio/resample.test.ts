import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resample } from '../../src/audio/resample.js';

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** RMS over the middle half (away from the filter's edge effects). */
function midRms(x: Float32Array): number {
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  let s = 0;
  for (let i = a; i < b; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / (b - a));
}

/** Largest deviation from the ideal tone at the new rate, over the middle half. */
function midError(y: Float32Array, freq: number, rate: number, amp = 0.5): number {
  let m = 0;
  for (let i = Math.floor(y.length / 4); i < Math.floor((3 * y.length) / 4); i++) {
    m = Math.max(m, Math.abs(y[i]! - amp * Math.sin((2 * Math.PI * freq * i) / rate)));
  }
  return m;
}

for (const [from, to] of [[44100, 16000], [22050, 16000], [48000, 8000], [8000, 16000], [16000, 22050], [11025.5, 16000]] as const) {
  test(`resample ${from} -> ${to}: keeps a tone below Nyquist, removes one above`, () => {
    const nyq = Math.min(from, to) / 2;
    const low = 0.4 * nyq;
    const y = resample(tone(low, from, 0.5), from, to);
    assert.equal(y.length, Math.ceil((Math.round(from * 0.5) * to) / from));
    assert.ok(midError(y, low, to) < 2e-3, `tone at ${low} Hz distorted by ${midError(y, low, to)}`);
    if (from > to) {
      const high = 1.25 * nyq; // above the output Nyquist: must not alias back in
      const z = resample(tone(high, from, 0.5), from, to);
      assert.ok(midRms(z) < 1e-3 * midRms(tone(high, from, 0.5)), `tone at ${high} Hz leaks ${midRms(z)}`);
    }
  });
}

test('resample: same rate copies, bad rates throw, DC passes unchanged', () => {
  const x = tone(100, 8000, 0.1);
  const y = resample(x, 8000, 8000);
  assert.deepEqual(y, x);
  assert.notEqual(y, x);
  assert.throws(() => resample(x, 0, 16000), /bad rates/);
  assert.throws(() => resample(x, 16000, NaN), /bad rates/);
  const dc = resample(new Float32Array(4000).fill(0.25), 44100, 16000);
  for (let i = 100; i < dc.length - 100; i++) assert.ok(Math.abs(dc[i]! - 0.25) < 1e-6);
  assert.equal(resample(new Float32Array(0), 44100, 16000).length, 0);
});
