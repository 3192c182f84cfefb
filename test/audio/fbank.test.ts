import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fbank, FbankExtractor } from '../../src/audio/fbank.js';
import type { FbankOptions } from '../../src/audio/fbank.js';
import { addDeltas, deltaScales } from '../../src/audio/deltas.js';
import type { Features } from '../../src/util/features.js';
import { fixtureSets, loadFixture, repoRoot } from '../helpers/fixtures.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

interface FbankFixture {
  name: string; sample_rate: number; num_mel_bins: number;
  samples_int16: number[]; fbank: number[]; fbank_shape: [number, number];
}
interface OptionsFixture {
  sample_rate: number; samples_int16: number[];
  cases: { name: string; options: FbankOptions; shape: [number, number]; fbank: number[] }[];
  deltas: { base_shape: [number, number]; delta: number[]; delta_delta: number[] };
}

const toUnit = (ints: number[]): Float32Array => Float32Array.from(ints, (v) => v / 32768);

const fixtureFiles = fixtureSets.map((set) => ({ set, names: readdirSync(join(set.dir, 'fbank')).filter((f) => f.endsWith('.json')).sort() }));

for (const { set, names } of fixtureFiles) test(`fbank fixtures exist in ${set.label}`, () => assert.ok(names.length >= 2));

// fbank() runs the WebAssembly kernel; the TypeScript one (fft.js) must match as well.
const kernels = ['wasm', 'js'] as const;
const features = (kernel: (typeof kernels)[number], samples: Float32Array, sampleRate: number, options: FbankOptions): Features =>
  kernel === 'wasm' ? fbank(samples, sampleRate, options) : new FbankExtractor(sampleRate, options, 'js').compute(samples);

for (const kernel of kernels) {
  for (const { set, names } of fixtureFiles) for (const name of names) {
    test(`fbank matches torchaudio.compliance.kaldi.fbank (${kernel} kernel): ${set.label} ${name}`, () => {
      const fx = loadFixture<FbankFixture>(`fbank/${name}`, set);
      const f = features(kernel, toUnit(fx.samples_int16), fx.sample_rate, { numMelBins: fx.num_mel_bins, energyFloor: 0 });
      assert.deepEqual([f.frames, f.dim], fx.fbank_shape);
      assertClose(f.data, fx.fbank, 1e-3, name);
    });
  }
}

// Made by test/audio/fixtures/make_fbank_options.py with torchaudio 0.13.
const opts = JSON.parse(readFileSync(join(repoRoot, 'test/audio/fixtures/fbank-options.json'), 'utf8')) as OptionsFixture;
const optSamples = toUnit(opts.samples_int16);

for (const kernel of kernels) {
  for (const c of opts.cases) {
    test(`fbank option set matches torchaudio (${kernel} kernel): ${c.name}`, () => {
      const f = features(kernel, optSamples, opts.sample_rate, c.options);
      assert.deepEqual([f.frames, f.dim], c.shape);
      // Linear-domain energies are large; compare them relatively.
      const tol = c.options.useLogFbank === false ? 1e-5 * Math.max(...c.fbank.map(Math.abs)) : 1e-3;
      assertClose(f.data, c.fbank, tol, c.name);
    });
  }
}

test('deltas agree with torchaudio compute_deltas away from the edges', () => {
  const base = fbank(optSamples, opts.sample_rate, { numMelBins: 23 });
  const withDeltas = fbank(optSamples, opts.sample_rate, { numMelBins: 23, deltaOrder: 2 });
  const [T, D] = opts.deltas.base_shape;
  assert.equal(withDeltas.dim, 3 * D);
  assert.equal(withDeltas.frames, T);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) {
      const row = t * 3 * D;
      assert.equal(withDeltas.data[row + d], base.data[t * D + d]);
      assert.ok(Math.abs(withDeltas.data[row + D + d]! - opts.deltas.delta[t * D + d]!) < 1e-3, `delta t=${t} d=${d}`);
      if (t >= 4 && t < T - 4) {
        assert.ok(Math.abs(withDeltas.data[row + 2 * D + d]! - opts.deltas.delta_delta[t * D + d]!) < 1e-3, `delta-delta t=${t} d=${d}`);
      }
    }
  }
});

test('delta-deltas follow Kaldi add-deltas at the edges (slow reference)', () => {
  const next = rng(3);
  const frames = 7; // shorter than the delta-delta filter, so every frame touches an edge
  const dim = 3;
  const x = randomArray(frames * dim, next);
  const at = (t: number, d: number): number => x[Math.min(frames - 1, Math.max(0, t)) * dim + d]!;
  const delta = (t: number, d: number): number => {
    let s = 0;
    for (let j = -2; j <= 2; j++) s += j * at(t + j, d);
    return s / 10;
  };
  const out = addDeltas({ data: x, frames, dim }, 2, 2);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      let dd = 0; // Kaldi convolves the filters and clamps once, on the original frames
      for (let j = -2; j <= 2; j++) {
        let inner = 0;
        for (let k = -2; k <= 2; k++) inner += k * at(t + j + k, d);
        dd += (j * inner) / 10;
      }
      assert.ok(Math.abs(out.data[t * 9 + 3 + d]! - delta(t, d)) < 1e-6);
      assert.ok(Math.abs(out.data[t * 9 + 6 + d]! - dd / 10) < 1e-6);
    }
  }
  assert.deepEqual(Array.from(deltaScales(1, 2)[1]!), [-0.2, -0.1, 0, 0.1, 0.2]);
});

test('Graves 2013 input layout: 40 bins + energy + deltas + delta-deltas = 123 columns', () => {
  const ex = new FbankExtractor(16000, { numMelBins: 40, useEnergy: true, deltaOrder: 2 });
  assert.equal(ex.dim, 123);
  const f = ex.compute(optSamples);
  assert.equal(f.dim, 123);
  assert.equal(f.frames, ex.numFrames(optSamples.length));
});

test('fbank edge cases: short input, bad options', () => {
  assert.equal(fbank(new Float32Array(100), 16000).frames, 0);
  assert.equal(fbank(new Float32Array(0), 16000).frames, 0);
  assert.equal(fbank(new Float32Array(100), 16000, { snipEdges: false }).frames, 1);
  assert.throws(() => fbank(optSamples, 16000, { numMelBins: 3 }), /numMelBins/);
  assert.throws(() => fbank(optSamples, 16000, { lowFreq: 9000 }), /lowFreq/);
  assert.throws(() => fbank(optSamples, 16000, { numMelBins: 200 }), /covers no FFT bin/);
  assert.throws(() => fbank(optSamples, 16000, { bogus: 1 } as FbankOptions), /unknown option/);
  assert.throws(() => fbank(optSamples, 16000, { deltaOrder: 3 }), /deltaOrder/);
  assert.throws(() => fbank(optSamples, 16000, { deltaOrder: 2, deltaWindow: 0 }), /deltaWindow/);
});

test('dither is seeded: same seed, same features; other seed, other features', () => {
  const a = fbank(optSamples, 16000, { dither: 1, ditherSeed: 5 });
  const b = fbank(optSamples, 16000, { dither: 1, ditherSeed: 5 });
  const c = fbank(optSamples, 16000, { dither: 1, ditherSeed: 6 });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
});
