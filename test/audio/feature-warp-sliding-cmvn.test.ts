import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fbank } from '../../src/audio/fbank.js';
import { vtlpSourceBins, warpFeatures } from '../../src/audio/feature-warp.js';
import { slidingCmvn } from '../../src/audio/sliding-cmvn.js';
import type { Features } from '../../src/util/features.js';
import { computeFeatures, resolveFrontEnd } from '../../src/audio/front-end.js';
import { Random } from '../../src/math/random.js';

function randomFeatures(frames: number, dim: number, seed: number): Features {
  const data = new Float32Array(frames * dim);
  new Random(seed).fillNormal(data, 2, 5);
  return { data, frames, dim };
}

/** Slow reference: for each frame, the mean and variance of the window ending at it, computed afresh. */
function slidingReference(f: Features, window: number, normVars: boolean, floor: number): Float32Array {
  const out = new Float32Array(f.data.length);
  for (let t = 0; t < f.frames; t++) {
    const from = Math.max(0, t - window + 1);
    for (let d = 0; d < f.dim; d++) {
      let m = 0;
      for (let s = from; s <= t; s++) m += f.data[s * f.dim + d]!;
      m /= t - from + 1;
      let v = 0;
      for (let s = from; s <= t; s++) v += (f.data[s * f.dim + d]! - m) ** 2;
      v /= t - from + 1;
      out[t * f.dim + d] = (f.data[t * f.dim + d]! - m) / (normVars ? Math.sqrt(Math.max(v, floor)) : 1);
    }
  }
  return out;
}

test('sliding CMVN: matches the slow reference, is causal, and is a front-end option', () => {
  const f = randomFeatures(120, 5, 1);
  for (const [window, normVars] of [[1, false], [7, false], [30, true], [500, true]] as const) {
    const got = slidingCmvn(f, { window, normVars }).data;
    const want = slidingReference(f, window, normVars, 1e-2);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-4, `window ${window}: ${got[i]} vs ${want[i]} at ${i}`);
  }
  // Causal: changing frames after t leaves frames up to t as they were.
  const g = { ...f, data: f.data.slice() };
  for (let i = 60 * 5; i < g.data.length; i++) g.data[i] = 0;
  const a = slidingCmvn(f, { window: 30, normVars: true }).data;
  const b = slidingCmvn(g, { window: 30, normVars: true }).data;
  assert.deepEqual(a.subarray(0, 60 * 5), b.subarray(0, 60 * 5));
  assert.throws(() => slidingCmvn(f, { window: 0 }), /window must be an integer >= 1/);

  const fe = resolveFrontEnd({ sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 100, normVars: false } });
  const samples = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i * 0.07) + 0.01 * Math.sin(i * 1.3));
  const raw = fbank(samples, 16000, { numMelBins: 23 });
  assert.deepEqual(computeFeatures(samples, 16000, fe).data, slidingCmvn(raw, { window: 100, normVars: false }).data);
  assert.throws(() => resolveFrontEnd({ slidingCmvn: { window: 100, center: true } }), /unknown slidingCmvn field "center"/);
  assert.throws(() => resolveFrontEnd({ slidingCmvn: { window: -3 } }), /slidingCmvn: window must be an integer >= 1/);
});

test('feature warp: tempo resamples frames; VTLP moves a tone\'s mel peak to where the scaled tone\'s peak is', () => {
  const ramp: Features = { data: Float32Array.from({ length: 100 * 2 }, (_, i) => Math.floor(i / 2)), frames: 100, dim: 2 };
  const fast = warpFeatures(ramp, { tempo: 1.25, lowFreq: 20, highFreq: 8000 });
  assert.equal(fast.frames, 80);
  for (let t = 0; t < 79; t++) assert.ok(Math.abs(fast.data[t * 2]! - t * 1.25) < 1e-5);
  assert.equal(warpFeatures(ramp, { tempo: 0.8, lowFreq: 20, highFreq: 8000 }).frames, 125);
  const same = warpFeatures(ramp, { lowFreq: 20, highFreq: 8000 });
  assert.deepEqual(same.data, ramp.data);

  const peak = (f: Features): number => {
    const mean = new Float64Array(f.dim);
    for (let t = 0; t < f.frames; t++) for (let d = 0; d < f.dim; d++) mean[d]! += f.data[t * f.dim + d]!;
    return mean.indexOf(Math.max(...mean));
  };
  const tone = (hz: number): Features => fbank(Float32Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / 16000)), 16000, { numMelBins: 40 });
  for (const [hz, a] of [[1000, 1.15], [2000, 0.85], [600, 1.1]] as const) {
    const warped = warpFeatures(tone(hz), { vtlp: a, lowFreq: 20, highFreq: 8000 });
    assert.ok(Math.abs(peak(warped) - peak(tone(hz * a))) <= 1, `${hz} Hz x ${a}: peak bin ${peak(warped)} vs ${peak(tone(hz * a))}`);
  }
  const bins = vtlpSourceBins(40, 1.1, 20, 8000);
  assert.ok(bins.every((b, i) => b >= 0 && b <= 39 && (i === 0 || b >= bins[i - 1]!)));
});
