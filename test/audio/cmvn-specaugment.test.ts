import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cmvn, CmvnAccumulator } from '../../src/audio/cmvn.js';
import { specAugment } from '../../src/audio/spec-augment.js';
import type { Features } from '../../src/util/features.js';
import { Random } from '../../src/math/random.js';
import { randomArray, rng } from '../helpers/compare.js';

function feats(frames: number, dim: number, seed: number, shift = 0): Features {
  const data = randomArray(frames * dim, rng(seed), 2).map((v, i) => v * (1 + (i % dim)) + shift + (i % dim));
  return { data, frames, dim };
}

test('CMVN over a training set: statistics from several utterances, applied to each', () => {
  const utts = [feats(30, 5, 1), feats(50, 5, 2, 3), feats(7, 5, 3, -1)];
  const acc = new CmvnAccumulator(5);
  for (const u of utts) acc.accumulate(u);
  const cmvn = acc.finalise();
  assert.equal(cmvn.frames, 87);
  // Slow reference: mean and variance of the concatenation.
  const all = utts.flatMap((u) => Array.from(u.data));
  for (let d = 0; d < 5; d++) {
    const col = all.filter((_, i) => i % 5 === d);
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
    assert.ok(Math.abs(cmvn.mean[d]! - mean) < 1e-9);
    assert.ok(Math.abs(cmvn.invStd![d]! - 1 / Math.sqrt(variance)) < 1e-9);
  }
  // After normalisation the pooled frames have zero mean and unit variance.
  const normed = utts.map((u) => cmvn.apply({ ...u, data: u.data.slice() }));
  const check = new CmvnAccumulator(5);
  for (const u of normed) check.accumulate(u);
  const after = check.finalise();
  for (let d = 0; d < 5; d++) {
    assert.ok(Math.abs(after.mean[d]!) < 1e-5);
    assert.ok(Math.abs(after.invStd![d]! - 1) < 1e-5);
  }
});

test('CMVN serialises to JSON and back; merge equals one pass; bad input throws', () => {
  const a = new CmvnAccumulator(4);
  const b = new CmvnAccumulator(4);
  const one = new CmvnAccumulator(4);
  const u1 = feats(10, 4, 5);
  const u2 = feats(12, 4, 6);
  a.accumulate(u1); b.accumulate(u2); one.accumulate(u1); one.accumulate(u2);
  a.merge(b);
  assert.deepEqual(a.finalise().toJSON(), one.finalise().toJSON());
  const cmvn = one.finalise({ normVars: false });
  const back = Cmvn.fromJSON(JSON.parse(JSON.stringify(cmvn)));
  assert.deepEqual(back.toJSON(), cmvn.toJSON());
  assert.equal(back.invStd, null);
  const full = Cmvn.fromJSON(JSON.parse(JSON.stringify(one.finalise())));
  assert.deepEqual(full.apply({ ...u1, data: u1.data.slice() }).data, one.finalise().apply({ ...u1, data: u1.data.slice() }).data);
  assert.throws(() => Cmvn.fromJSON({ type: 'cmvn', dim: 2, frames: 1, mean: [1], invStd: null }), /mean must be 2/);
  assert.throws(() => Cmvn.fromJSON({ type: 'x' }), /not a CMVN object/);
  assert.throws(() => cmvn.apply(feats(3, 5, 1)), /5 columns, the statistics 4/);
  assert.throws(() => new CmvnAccumulator(4).finalise(), /no frames/);
  assert.throws(() => a.accumulate({ data: new Float32Array(4).fill(NaN), frames: 1, dim: 4 }), /non-finite/);
  // A constant column stays finite.
  const c = new CmvnAccumulator(1);
  c.accumulate({ data: new Float32Array(5).fill(3), frames: 5, dim: 1 });
  assert.ok(Number.isFinite(c.finalise().invStd![0]!));
});

test('SpecAugment masks the drawn bands and runs, is seeded, and respects its limits', () => {
  const f = feats(200, 40, 7);
  const a = { ...f, data: f.data.slice() };
  const masks = specAugment(a, new Random(11), { freqMasks: 2, maxFreqWidth: 10, timeMasks: 2, maxTimeWidth: 30, maxTimeShare: 0.1, maskValue: -5 });
  assert.equal(masks.length, 4);
  for (let t = 0; t < 200; t++) {
    for (let d = 0; d < 40; d++) {
      const masked = masks.some((m) => (m.axis === 'freq' ? d : t) >= m.start && (m.axis === 'freq' ? d : t) < m.start + m.width);
      assert.equal(a.data[t * 40 + d], masked ? -5 : f.data[t * 40 + d], `t=${t} d=${d}`);
    }
  }
  for (const m of masks) assert.ok(m.width <= (m.axis === 'freq' ? 10 : 20), JSON.stringify(m));
  const b = { ...f, data: f.data.slice() };
  assert.deepEqual(specAugment(b, new Random(11), { freqMasks: 2, maxFreqWidth: 10, timeMasks: 2, maxTimeWidth: 30, maxTimeShare: 0.1, maskValue: -5 }), masks);
  assert.deepEqual(b.data, a.data);
  // freqRange keeps the masks inside a block (e.g. the static part before deltas).
  const c = { ...f, data: f.data.slice() };
  for (const m of specAugment(c, new Random(3), { freqMasks: 5, freqRange: [0, 13], timeMasks: 0 })) assert.ok(m.start + m.width <= 13);
  assert.throws(() => specAugment(c, new Random(3), { freqRange: [30, 20] }), /freqRange/);
});
