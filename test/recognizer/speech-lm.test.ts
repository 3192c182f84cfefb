/**
 * A speech model directory's own LM decodes by default, with one meaning of `lm` for the
 * library, `sayre transcribe`, `sayre eval` and `sayre serve`: undefined the directory's
 * own LM (its alpha, beta and beam), false best path, a file that LM instead.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readWav } from '../../src/audio/wav-read.js';
import { writeArpa } from '../../src/decode/lm/arpa-writer.js';
import { buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { attachModelLm } from '../../src/model/io/model-lm.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { readManifest } from '../../src/data/manifest.js';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = async (...args: string[]): Promise<string> => (await run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 })).stdout;
const HELLO = fileURLToPath(new URL('hello.wav', SAMPLES));

const work = mkdtempSync(join(tmpdir(), 'sayre-speech-lm-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A word bigram over `sentences`, written as ARPA into `name`. */
function wordLm(name: string, sentences: string[]): string {
  const path = join(work, name);
  writeArpa(buildKneserNey(sentences.map((s) => s.split(' ')), { order: 2, discountFallback: [0.5, 1, 1.5] }).model, path);
  return path;
}

const OWN = wordLm('own.arpa', ['a cat sat', 'the cat sat on a mat', 'a hat on a cat']);
const OTHER = wordLm('other.arpa', ['hello world', 'hello there world']);
// A tiny random model (its best path is noise) and a copy of it with OWN attached.
const plain = makeTinyModelDir('plain');
const withLm = join(work, 'with-lm');
mkdirSync(withLm);
for (const f of ['config.json', 'model.safetensors']) copyFileSync(join(plain, f), join(withLm, f));
attachModelLm(withLm, OWN, { unit: 'word', alpha: 0.5, beta: 2, beamWidth: 6 });

describe('a speech model directory with its own LM', () => {
  test('loads with the directory\'s lm entry; Recognizer decodes with it by default, lm: false by best path, lm: FILE with that LM', () => {
    const loaded = loadModelDir(withLm);
    assert.deepEqual(loaded.lm?.config, { file: 'lm.arpa', unit: 'word', alpha: 0.5, beta: 2, beamWidth: 6 });
    assert.equal(loadModelDir(plain).lm, undefined);

    const own = new Recognizer(loaded).defaultDecoder;
    assert.equal(own.search, 'beam');
    assert.deepEqual(own.config.lm?.vocabulary, loaded.lm!.load().vocabulary);
    assert.deepEqual([own.config.alpha, own.config.beta, own.config.beamWidth], [0.5, 2, 6]);
    assert.equal(Recognizer.load(withLm, { lm: false }).defaultDecoder.search, 'greedy');
    assert.equal(Recognizer.load(plain).defaultDecoder.search, 'greedy');
    const other = Recognizer.load(withLm, { lm: OTHER, alpha: 1 }).defaultDecoder;
    assert.ok(other.config.lm?.vocabulary.includes('hello') && !other.config.lm.vocabulary.includes('cat'));
    assert.equal(other.config.alpha, 1);
    // Weights alone adjust the directory's own LM.
    assert.equal(Recognizer.load(withLm, { alpha: 0.5 }).defaultDecoder.config.alpha, 0.5);
    assert.throws(() => Recognizer.load(withLm, { lm: false, alpha: 1 }).defaultDecoder, /--alpha and --beta need --lm/);
  });

  test('transcripts: by default those of the beam search with the directory\'s LM, with lm: false those of best path', () => {
    const wav = readWav(HELLO);
    const rec = Recognizer.load(withLm);
    const byDefault = rec.transcribe(wav.samples, wav.sampleRate).text;
    const explicit = rec.transcribe(wav.samples, wav.sampleRate, { decoder: rec.decoder({ lm: rec.loaded.lm!.load(), alpha: 0.5, beta: 2, beamWidth: 6 }) }).text;
    const bestPath = rec.transcribe(wav.samples, wav.sampleRate, { decoder: rec.decoder() }).text;
    assert.equal(byDefault, explicit);
    assert.notEqual(byDefault, bestPath, 'the LM changes what this noisy model reads');
    // The noise is read as words the LM knows.
    assert.ok(byDefault !== '' && byDefault.split(' ').every((w) => ['a', 'cat', 'sat', 'the', 'on', 'mat', 'hat'].includes(w)), byDefault);
    assert.equal(Recognizer.load(withLm, { lm: false }).transcribe(wav.samples, wav.sampleRate).text, bestPath);
    // A stream decodes the same way by default.
    const stream = rec.createStream();
    stream.acceptWaveform(wav.samples, wav.sampleRate);
    stream.inputFinished();
    rec.decode(stream);
    assert.equal(stream.final().text, byDefault);
  });

  test('sayre transcribe and eval: the directory\'s LM by default, --no-lm best path, --lm FILE replaces it', async () => {
    const [byDefault, explicit, noLm, plainOut, other] = await Promise.all([
      sayre('transcribe', '--model', withLm, HELLO),
      sayre('transcribe', '--model', plain, '--lm', OWN, '--alpha', '0.5', '--beta', '2', '--beam', '6', HELLO),
      sayre('transcribe', '--model', withLm, '--no-lm', HELLO),
      sayre('transcribe', '--model', plain, HELLO),
      sayre('transcribe', '--model', withLm, '--lm', OTHER, '--alpha', '0.5', '--beta', '2', '--beam', '6', HELLO),
    ]);
    assert.equal(byDefault, explicit);
    assert.equal(noLm, plainOut);
    assert.notEqual(byDefault, noLm);
    assert.ok(other.trim() !== '' && other.trim().split(' ').every((w) => ['hello', 'there', 'world'].includes(w)), other);

    const manifest = join(work, 'one.jsonl');
    writeFileSync(manifest, `${JSON.stringify({ audio: HELLO, text: 'a cat sat on a mat', duration: 3.47 })}\n`);
    // The hypothesis eval scored (its JSON-lines report).
    const evalOf = async (...args: string[]): Promise<string> => {
      const jsonl = join(work, `${args.join('_').replace(/\W/g, '')}.jsonl`);
      await sayre('eval', '--manifest', manifest, '--report', join(work, 'report.txt'), '--jsonl', jsonl, ...args);
      return (JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]!) as { hyp: string }).hyp;
    };
    const [evDefault, evExplicit, evNoLm, evPlain] = await Promise.all([
      evalOf('--model', withLm), evalOf('--model', plain, '--lm', OWN, '--alpha', '0.5', '--beta', '2', '--beam', '6'),
      evalOf('--model', withLm, '--no-lm'), evalOf('--model', plain),
    ]);
    assert.equal(evDefault, byDefault.trim());
    assert.equal(evDefault, evExplicit);
    assert.equal(evNoLm, evPlain);
    assert.notEqual(evDefault, evNoLm);
  });

  test('sayre serve\'s threads: the directory\'s LM by default, lm false best path', async () => {
    const wav = readWav(HELLO);
    const texts: Record<string, string> = {};
    for (const [name, setup] of [['default', { modelDir: withLm }], ['none', { modelDir: withLm, lm: false as const }], ['explicit', { modelDir: plain, lm: OWN, alpha: 0.5, beta: 2, beamWidth: 6 }]] as const) {
      const engine = await WorkerEngine.create(setup);
      try {
        assert.equal(engine.decoder, name === 'none' ? 'greedy' : 'beam');
        const r = await engine.start({ samples: wav.samples.slice(), sampleRate: wav.sampleRate }).result;
        assert.equal(r.decoder, engine.decoder);
        texts[name] = r.text;
      } finally {
        await engine.close();
      }
    }
    assert.equal(texts['default'], texts['explicit']);
    assert.equal(texts['none'], Recognizer.load(plain).transcribe(wav.samples, wav.sampleRate).text);
  });
});

const bundledLm = existsSync(join(bundledModelDir(), 'config.json')) && (JSON.parse(readFileSync(join(bundledModelDir(), 'config.json'), 'utf8')) as { lm?: unknown }).lm;
test('the bundled English model decodes with its LMs by default (a character LM with a word LM beside it) and reads the four samples better than best path', { skip: bundledLm ? false : 'no bundled model with an LM' }, () => {
  const rec = Recognizer.load();
  assert.equal(rec.loaded.lm?.config.unit, 'char');
  assert.ok(rec.loaded.lm?.loadWord(), 'the word LM beside it');
  assert.equal(rec.defaultDecoder.search, 'beam');
  const entries = readManifest(fileURLToPath(new URL('samples.jsonl', SAMPLES)));
  const score = (r: Recognizer) => scoreTranscripts(entries.map((e) => ({ ref: e.text, hyp: r.transcribeFile(e.audioPath).text })));
  const withLm = score(rec);
  const bestPath = score(new Recognizer(rec.loaded, { lm: false }));
  assert.ok(withLm.wer < bestPath.wer && withLm.cer < bestPath.cer, `with the LM WER ${withLm.wer} CER ${withLm.cer}; best path WER ${bestPath.wer} CER ${bestPath.cer}`);
});
