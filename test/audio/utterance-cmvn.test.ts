import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fbank } from '../../src/audio/fbank.js';
import { computeFeatures, resolveFrontEnd, type FrontEndConfig } from '../../src/audio/front-end.js';
import { resample } from '../../src/audio/resample.js';
import { utteranceCmvn } from '../../src/audio/utterance-cmvn.js';
import { readWav } from '../../src/audio/wav-read.js';
import { Random } from '../../src/math/random.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { featureCacheKey } from '../../src/train/run/feature-cache.js';
import { resolveRunConfig } from '../../src/train/run/run-config.js';
import { runInput } from '../../src/train/run/run-input.js';
import type { Features } from '../../src/util/features.js';
import { SAMPLES, writeTinyModelDir } from '../helpers/tiny-model.js';
import { runPython, torchMissing } from '../python/python.js';

function randomFeatures(frames: number, dim: number, seed: number): Features {
  const data = new Float32Array(frames * dim);
  new Random(seed).fillNormal(data, 2, 5);
  return { data, frames, dim };
}

/** Slow reference: each column's mean, then its variance about that mean (two passes), per frame afresh. */
function utteranceReference(f: Features, normVars: boolean, floor: number): Float32Array {
  const out = new Float32Array(f.data.length);
  for (let d = 0; d < f.dim; d++) {
    let m = 0;
    for (let t = 0; t < f.frames; t++) m += f.data[t * f.dim + d]!;
    m /= f.frames;
    let v = 0;
    for (let t = 0; t < f.frames; t++) v += (f.data[t * f.dim + d]! - m) ** 2;
    v /= f.frames;
    for (let t = 0; t < f.frames; t++) out[t * f.dim + d] = (f.data[t * f.dim + d]! - m) / (normVars ? Math.sqrt(Math.max(v, floor)) : 1);
  }
  return out;
}

function assertNear(got: Float32Array, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < tol, `${what}: ${got[i]} vs ${want[i]} at ${i}`);
}

test('per-utterance CMVN matches the slow reference, the variance floor included', () => {
  const f = randomFeatures(90, 6, 3);
  for (const normVars of [false, true]) assertNear(utteranceCmvn(f, { normVars }).data, utteranceReference(f, normVars, 1e-2), 1e-4, `normVars ${normVars}`);
  // A near-constant column: its variance is below the floor, which then decides the scale.
  const flat = { ...f, data: f.data.map((v, i) => (i % 6 === 2 ? 1 + 1e-3 * Math.sign(v) : v)) };
  assertNear(utteranceCmvn(flat, { normVars: true, varianceFloor: 0.5 }).data, utteranceReference(flat, true, 0.5), 1e-4, 'floored column');
  assert.deepEqual(utteranceCmvn({ data: new Float32Array(0), frames: 0, dim: 4 }).frames, 0);
  assert.throws(() => utteranceCmvn(f, { varianceFloor: 0 }), /varianceFloor must be positive/);
});

test('per-utterance CMVN equals torchaudio\'s sliding_window_cmn with a centred window longer than the utterance', { skip: torchMissing('torchaudio') }, () => {
  const f = randomFeatures(57, 5, 9);
  const script = [
    'import json, sys, torch, torchaudio',
    'a = json.load(sys.stdin)',
    'x = torch.tensor(a["data"], dtype=torch.float64).reshape(a["frames"], a["dim"])',
    'print(json.dumps({str(v): torchaudio.functional.sliding_window_cmn(x, cmn_window=10000, min_cmn_window=0, center=True, norm_vars=v).flatten().tolist() for v in (False, True)}))',
  ].join('\n');
  const out = JSON.parse(runPython(['-c', script], JSON.stringify({ data: Array.from(f.data), frames: f.frames, dim: f.dim }))) as Record<'False' | 'True', number[]>;
  assertNear(utteranceCmvn(f).data, out.False, 1e-4, 'means only');
  assertNear(utteranceCmvn(f, { normVars: true }).data, out.True, 1e-4, 'means and variances');
});

test('frontEnd.utteranceCmvn: computeFeatures applies it before the global CMVN; it excludes slidingCmvn; streaming models refuse it', () => {
  const fe = resolveFrontEnd({ sampleRate: 16000, fbank: { numMelBins: 23 }, utteranceCmvn: { normVars: true } });
  assert.deepEqual(fe.utteranceCmvn, { normVars: true });
  const samples = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i * 0.07) + 0.01 * Math.sin(i * 1.3));
  assert.deepEqual(computeFeatures(samples, 16000, fe).data, utteranceCmvn(fbank(samples, 16000, { numMelBins: 23 }), { normVars: true }).data);
  assert.throws(() => resolveFrontEnd({ utteranceCmvn: { normVars: true }, slidingCmvn: { window: 300 } }), /"slidingCmvn" and "utteranceCmvn" exclude each other/);
  assert.throws(() => resolveFrontEnd({ utteranceCmvn: { window: 3 } }), /unknown utteranceCmvn field "window" \(known: normVars, varianceFloor\)/);
  assert.throws(() => resolveFrontEnd({ utteranceCmvn: true }), /"utteranceCmvn" must be an object such as \{"normVars": true\}/);
  assert.throws(() => resolveFrontEnd({ utteranceCmvn: { normVars: 1 } }), /utteranceCmvn: normVars must be true or false/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, bidirectional: false }, frontEnd: { utteranceCmvn: {} } }),
    /a streaming model \("bidirectional": false\) needs features that can be computed incrementally: utteranceCmvn needs the whole utterance/);
  assert.deepEqual(resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, frontEnd: { utteranceCmvn: {} } }).frontEnd, { sampleRate: 16000, fbank: { numMelBins: 80 }, utteranceCmvn: {} });
});

test('training features, a model directory and the recogniser (Node, and from bytes as the web worker loads it) all apply frontEnd.utteranceCmvn', async () => {
  const front: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 20 }, utteranceCmvn: { normVars: true, varianceFloor: 0.05 } };
  const make = (bidirectional: boolean) => (tokenizer: { size: number }) => new CtcModel({ inputDim: 20, hiddenSize: 8, numLayers: 1, numClasses: tokenizer.size, bidirectional }, { seed: 2 });
  const dir = writeTinyModelDir('utterance-cmvn', make(true), front);
  const loaded = loadModelDir(dir);
  assert.deepEqual(loaded.frontEnd, front);
  const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
  const want = loaded.cmvn.apply(utteranceCmvn(fbank(resample(wav.samples, wav.sampleRate, 16000), 16000, front.fbank), front.utteranceCmvn));
  assert.deepEqual(Recognizer.load(dir).features(wav.samples, wav.sampleRate).data, want.data);
  const fromBytes = Recognizer.fromBytes(readFileSync(join(dir, 'config.json'), 'utf8'), readFileSync(join(dir, 'model.safetensors')), 'utterance-cmvn');
  assert.deepEqual(fromBytes.features(wav.samples, wav.sampleRate).data, want.data);
  // Training: the run's features (before the training-set CMVN) and a feature cache of their own.
  const item = { path: new URL('hello.wav', SAMPLES).pathname, name: 'hello.wav', text: 'hello', line: 1, amount: 1 };
  assert.deepEqual((await runInput(front).features(item)).data, utteranceCmvn(fbank(resample(wav.samples, wav.sampleRate, 16000), 16000, front.fbank), front.utteranceCmvn).data);
  assert.notEqual(featureCacheKey([item], front), featureCacheKey([item], { sampleRate: 16000, fbank: { numMelBins: 20 } }));
  assert.throws(() => writeTinyModelDir('utterance-cmvn-streaming', make(false), front), /a streaming model \("bidirectional": false\) needs a front end that can be computed as audio arrives: utteranceCmvn/);
});
