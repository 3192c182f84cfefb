import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmvnAccumulator } from '../../src/audio/cmvn.js';
import { resample } from '../../src/audio/resample.js';
import { writeWav } from '../../src/audio/wav-write.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { computeFeatures, type FrontEndConfig } from '../../src/audio/front-end.js';
import { loadModelDir, saveModelDir } from '../../src/model/io/model-dir.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';

const FRONT: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 20 } };

/** A chirp with some noise: audio that makes varied features. */
function signal(seconds: number, rate: number, seed = 1): Float32Array {
  let s = seed;
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const t = i / rate;
    out[i] = 0.3 * Math.sin(2 * Math.PI * (200 + 600 * t) * t) + 0.05 * (s / 0x7fffffff - 0.5);
  }
  return out;
}

/** A random small model directory (stride 2), with CMVN over two signals. */
function makeModelDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sayre-rec-')), 'model');
  const tokenizer = new CharTokenizer();
  const acc = new CmvnAccumulator(20);
  for (const x of [signal(1, 16000, 1), signal(0.7, 16000, 2)]) acc.accumulate(computeFeatures(x, 16000, FRONT));
  const model = new CtcModel({ inputDim: 20, hiddenSize: 8, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2 }, { seed: 3 });
  saveModelDir(dir, { model, tokenizer, frontEnd: FRONT, cmvn: acc.finalise(), info: { note: 'test' } });
  return dir;
}

test('a model directory round-trips: same weights, tokenizer, front end, CMVN and info', () => {
  const dir = makeModelDir();
  assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { format: string; info: { note: string } };
  assert.equal(config.format, 'sayre.ctc-model/1');
  const a = loadModelDir(dir);
  assert.equal(a.info['note'], 'test');
  assert.equal(a.tokenizer.alphabet, new CharTokenizer().alphabet);
  // Saved again over itself: replaced whole; what a killed save left beside it is cleared.
  mkdirSync(join(dir, '..', '.model.999999999.0.tmp'));
  saveModelDir(dir, { model: a.model, tokenizer: a.tokenizer, frontEnd: a.frontEnd, cmvn: a.cmvn });
  assert.deepEqual(readdirSync(join(dir, '..')), ['model']);
  const b = loadModelDir(dir);
  assert.deepEqual(b.model.params.data, a.model.params.data);
  assert.deepEqual(b.cmvn.toJSON(), a.cmvn.toJSON());
});

test('loading a model directory checks its parts against each other', () => {
  const dir = makeModelDir();
  const path = join(dir, 'config.json');
  const good = readFileSync(path, 'utf8');
  const edit = (f: (c: Record<string, unknown>) => void): void => {
    const c = JSON.parse(good) as Record<string, unknown>;
    f(c);
    writeFileSync(path, JSON.stringify(c));
  };
  edit((c) => { c['format'] = 'other'; });
  assert.throws(() => loadModelDir(dir), /not a sayre model/);
  edit((c) => { (c['frontEnd'] as FrontEndConfig).fbank.numMelBins = 30; });
  assert.throws(() => loadModelDir(dir), /takes 20 features per frame, the front end makes 30/);
  edit((c) => { c['tokenizer'] = { type: 'char', alphabet: 'ab' }; });
  assert.throws(() => loadModelDir(dir), /29 classes, the tokenizer 3/);
  edit((c) => { (c['model'] as { hiddenSize: number }).hiddenSize = 9; });
  assert.throws(() => loadModelDir(dir), /different model|expected F32/);
  assert.throws(() => loadModelDir(join(dir, 'missing')), /cannot read the model config/);
});

test('the recogniser transcribes samples, WAV files and batches alike, with times in seconds', () => {
  const rec = Recognizer.load(makeModelDir());
  assert.equal(rec.sampleRate, 16000);
  assert.equal(rec.secondsPerFrame, 0.02);
  const x = signal(1.2, 16000, 5);
  const one = rec.transcribe(x, 16000);
  assert.equal(one.duration, 1.2);
  assert.ok(one.confidence > 0 && one.confidence <= 1);
  assert.equal(one.tokens.length, one.tokenTimings.length);
  for (const k of one.tokenTimings) {
    assert.ok(k.start >= 0 && k.end > k.start && k.end <= 1.2 + 1e-9, `token ${k.token} at ${k.start}-${k.end}`);
    assert.equal(k.token, rec.loaded.tokenizer.token(k.id));
  }
  for (const w of one.words) assert.ok(w.end > w.start && w.start === Math.round(w.startFrame * 0.02 * 1000) / 1000);
  assert.equal(one.text, one.words.map((w) => w.word).join(' '));

  const y = signal(0.5, 16000, 6);
  const batch = rec.transcribeFeatures([rec.features(x, 16000), rec.features(y, 16000), rec.features(new Float32Array(10), 16000)]);
  assert.equal(batch[0]!.text, one.text);
  assert.deepEqual(batch[0]!.tokens, one.tokens);
  assert.ok(Math.abs(batch[0]!.score - one.score) < 1e-3);
  assert.deepEqual(batch[1]!.tokens, rec.transcribe(y, 16000).tokens);
  assert.equal(batch[2]!.text, ''); // shorter than one frame

  const wav = join(mkdtempSync(join(tmpdir(), 'sayre-wav-')), 'x.wav');
  writeWav(wav, x, 16000, '32f');
  assert.deepEqual(rec.transcribeFile(wav).tokens, one.tokens);
});

test('the recogniser resamples audio at other rates to its own', () => {
  const rec = Recognizer.load(makeModelDir());
  const x48 = signal(0.8, 48000, 7);
  const direct = rec.transcribe(x48, 48000);
  const by16 = rec.transcribe(resample(x48, 48000, 16000), 16000);
  assert.deepEqual(direct.tokens, by16.tokens);
  assert.ok(Math.abs(direct.duration - 0.8) < 1e-9);
  assert.throws(() => rec.transcribe(new Float32Array([0, NaN]), 16000), /sample 1 is not a finite number/);
});
