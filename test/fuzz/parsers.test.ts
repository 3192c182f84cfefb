/**
 * Fuzzing every parser that takes outside bytes: valid inputs, mutated by a seeded mutator
 * (mutate.ts), through WAV, PNG/JPEG, ARPA (plain and gzip), manifests, safetensors and
 * checkpoints, model directories (speech and text-line) and the server's request bodies.
 * Properties: nothing but an Error escapes (no crash), every error names its source, and
 * the process's peak memory stays bounded (the limits hold). A hang would keep the test
 * from finishing. A few seconds by default; SAYRE_FUZZ_RUNS (runs per parser) and
 * SAYRE_FUZZ_SEED for a longer or another run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeWav } from '../../src/audio/wav-write.js';
import { decodeWav } from '../../src/audio/wav-read.js';
import { formatArpa } from '../../src/decode/lm/arpa-writer.js';
import { parseArpa } from '../../src/decode/lm/arpa-reader.js';
import { buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { parseManifest } from '../../src/data/manifest.js';
import { decodeImage } from '../../src/image/decode-image.js';
import { lineFrames } from '../../src/image/line-image.js';
import { modelFromCheckpoint } from '../../src/model/model-kind.js';
import { lineModelFromBytes } from '../../src/model/io/line-model-dir.js';
import { modelFromBytes } from '../../src/model/io/model-dir.js';
import type { Engine } from '../../src/server/engine.js';
import { HttpError } from '../../src/server/http-error.js';
import { PcmDecoder } from '../../src/server/pcm-decoder.js';
import { CountingStreamEngine } from '../helpers/counting-stream-engine.js';
import { decodeUpload } from '../../src/server/audio-upload.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import { parseSafetensors } from '../../src/model/io/safetensors.js';
import { resetLimits, setLimits } from '../../src/util/limits.js';
import { send } from '../server/http-client.js';
import { makeTinyModelDir } from '../helpers/tiny-model.js';
import { wavClaiming, whitePng } from '../helpers/hostile-files.js';
import { Mutator } from '../helpers/mutate.js';

const RUNS = Number(process.env['SAYRE_FUZZ_RUNS'] ?? 150);
const SEED = Number(process.env['SAYRE_FUZZ_SEED'] ?? 1);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const utf8 = (b: Uint8Array): string => new TextDecoder().decode(b);
const hex = (b: Uint8Array): string => Buffer.from(b.subarray(0, 96)).toString('hex');

let peakBefore = 0;
before(() => {
  // Tight limits: every input here is small, so a parser that honours them stays cheap.
  setLimits({ maxImagePixels: 2_000_000, maxLineColumns: 5000, maxParameters: 2_000_000, maxArpaBytes: 8 << 20, maxBeam: 256 });
  peakBefore = process.resourceUsage().maxRSS;
});
after(() => {
  resetLimits();
  // Peak resident memory (KB) of the whole fuzz run, over where it started.
  const grown = process.resourceUsage().maxRSS - peakBefore;
  assert.ok(grown < 512 * 1024, `the fuzz run raised peak memory by ${grown} KB`);
});

/**
 * Feeds `runs` mutations of the `seeds` to `parse`; each must return, or throw an Error
 * whose message names `source` (and passes `check`, when given).
 */
async function fuzz(name: string, seeds: readonly Uint8Array[], source: string, parse: (input: Uint8Array) => unknown, check?: (err: Error) => string | null, runs = RUNS): Promise<void> {
  const m = new Mutator(SEED * 7919 + name.length * 31 + name.charCodeAt(0));
  let refused = 0;
  for (const seed of seeds) await parse(seed); // the seeds themselves are valid
  for (let i = 0; i < runs; i++) {
    const input = m.mutate(m.pick(seeds));
    const where = `${name} run ${i} (SAYRE_FUZZ_SEED=${SEED}), input ${hex(input)}`;
    try {
      await parse(input);
    } catch (err) {
      refused++;
      assert.ok(err instanceof Error, `${where}: threw a non-Error ${String(err)}`);
      assert.ok(err.message.includes(source), `${where}: the error does not name ${source}: ${err.stack}`);
      const bad = check?.(err);
      assert.equal(bad ?? null, null, `${where}: ${bad}`);
    }
  }
  assert.ok(refused > 0, `${name}: no mutation was refused: the fuzzer reaches nothing`);
}

describe('fuzzing the parsers of outside bytes', () => {
  test('WAV', async () => {
    const tone = new Float32Array(400).map((_, i) => 0.5 * Math.sin(i / 3));
    const seeds = [encodeWav(tone, 16000), encodeWav(tone, 8000, '24'), encodeWav(tone, 44100, '32f'), wavClaiming(22050, 0, Float64Array.from(tone))];
    await fuzz('wav', seeds, 'fuzz.wav', (b) => decodeWav(b, 'fuzz.wav'));
  });

  test('PNG and JPEG, and line images from them', async () => {
    const rgba = new PNG({ width: 24, height: 8 });
    for (let i = 0; i < rgba.data.length; i++) rgba.data[i] = (i * 37) & 0xff;
    const jpg = jpeg.encode({ width: 16, height: 8, data: Buffer.from(rgba.data.subarray(0, 16 * 8 * 4)) }, 80).data;
    const seeds = [PNG.sync.write(rgba), whitePng(40, 6), new Uint8Array(jpg)];
    await fuzz('image', seeds, 'fuzz.png', (b) => lineFrames(decodeImage(b, 'fuzz.png'), 32, 'fuzz.png'));
  });

  test('ARPA, plain and gzip', async () => {
    const sentences = ['the cat sat', 'the dog sat down', 'a cat ran'].map((s) => s.split(' '));
    const arpa = text(formatArpa(buildKneserNey(sentences, { order: 3 }).model));
    await fuzz('arpa', [arpa], 'fuzz.arpa', (b) => parseArpa(b, 'fuzz.arpa'));
    await fuzz('arpa.gz', [gzipSync(arpa)], 'fuzz.arpa.gz', (b) => parseArpa(b, 'fuzz.arpa.gz'));
  });

  test('manifests', async () => {
    const lines = [{ audio: 'a.wav', text: 'hello', duration: 1.5, voice: 'v' }, { audio: 'b/c.wav', text: 'two words', duration: 2, augmentation: { speed: 1.1, telephone: true } }];
    await fuzz('manifest', [text(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')], 'fuzz.jsonl', (b) => parseManifest(utf8(b), 'fuzz.jsonl'));
  });

  test('safetensors checkpoints and model directories (speech and text-line)', async () => {
    const dir = makeTinyModelDir('fuzz-model');
    const config = readFileSync(join(dir, 'config.json'));
    const weights = readFileSync(join(dir, 'model.safetensors'));
    await fuzz('checkpoint', [weights], 'fuzz.safetensors', (b) => modelFromCheckpoint(parseSafetensors(b, 'fuzz.safetensors'), 'fuzz.safetensors'));
    await fuzz('model config', [config], 'fuzz-model', (b) => modelFromBytes(utf8(b), weights, 'fuzz-model'));
    const lines = new URL('../../../models/text-lines/', import.meta.url);
    const lineConfig = readFileSync(new URL('config.json', lines));
    const lineWeights = readFileSync(new URL('model.safetensors', lines));
    await fuzz('line model config', [lineConfig], 'fuzz-lines', (b) => lineModelFromBytes(utf8(b), lineWeights, 'fuzz-lines'), undefined, Math.ceil(RUNS / 3));
    // Weights: only the header and the first bytes are mutated in place (a model is megabytes).
    const m = new Mutator(SEED);
    let refused = 0;
    for (let i = 0; i < Math.ceil(RUNS / 3); i++) {
      const headEnd = 8 + Number(lineWeights.readBigUInt64LE(0)) + 64;
      const bytes = Buffer.concat([m.mutate(lineWeights.subarray(0, headEnd)), lineWeights.subarray(headEnd)]);
      try {
        lineModelFromBytes(utf8(lineConfig), bytes, 'fuzz-lines');
      } catch (err) {
        refused++;
        assert.ok(err instanceof Error && err.message.includes('fuzz-lines'), `line weights run ${i}: ${String(err)}`);
      }
    }
    assert.ok(refused > 0);
  });

  test('the server\'s request bodies: audio uploads are 4xx, never 500; PCM streams decode any bytes', async () => {
    const tone = new Float32Array(800).map((_, i) => 0.2 * Math.sin(i / 5));
    const status4xx = (err: Error): string | null => (err instanceof HttpError && err.status >= 400 && err.status < 500 ? null : `not a 4xx: ${err.name} ${(err as HttpError).status}`);
    await fuzz('upload', [encodeWav(tone, 16000), encodeWav(tone, 48000, '32f')], 'upload', (b) => decodeUpload(b, 60), status4xx);
    // PCM streams: 16-bit samples take any bytes; float samples must be finite and in [-1, 1] (else 400).
    const m = new Mutator(SEED);
    const s16 = new PcmDecoder({ rate: 16000, encoding: 's16le' });
    const f32 = new PcmDecoder({ rate: 16000, encoding: 'f32le' });
    let bytes = 0;
    for (let i = 0; i < RUNS * 4; i++) {
      const chunk = m.bytes(m.int(700));
      bytes += chunk.length;
      for (const x of s16.decode(chunk)) assert.ok(x >= -1 && x < 1);
      try {
        for (const x of f32.decode(chunk)) assert.ok(Math.abs(x) <= 1);
      } catch (err) {
        assert.ok(err instanceof HttpError && err.status === 400 && /float sample \d+ is/.test(err.message), String(err));
      }
    }
    assert.equal(s16.samples, Math.floor(bytes / 2));
  });

  describe('a live server', () => {
    let s: SayreServer;
    // An engine that answers at once: the requests, not the recogniser, are under test.
    const engine: Engine = {
      slots: 1, model: 'fuzz', decoder: 'greedy',
      start: (job) => ({ result: Promise.resolve({ text: '', words: [], confidence: 1, duration: job.samples.length / job.sampleRate, model: 'fuzz', decoder: 'greedy' }), cancel: () => {} }),
      close: async () => {},
    };
    before(async () => { s = await startServer(engine, { port: 0, maxQueue: 0 }, new CountingStreamEngine()); });
    after(async () => { await s.close(); });

    test('random bodies, paths and Host headers get 4xx or 503, never 500', async () => {
      const m = new Mutator(SEED + 1);
      const wav = encodeWav(new Float32Array(800), 16000);
      const paths = ['/transcribe', '/transcribe/stream?rate=16000', '/transcribe/stream?rate=8', '/health', '/dist/../x', '/model/%2e%2e/x', '/%00', '/transcribe/stream?rate=1e9'];
      for (let i = 0; i < Math.min(RUNS, 60); i++) {
        const path = m.pick(paths);
        const headers: Record<string, string> = m.int(4) === 0 ? { Host: utf8(m.bytes(8)).replace(/[^\x21-\x7e]/g, 'x') } : {};
        const r = await send(`${s.url}${path}`, { method: m.pick(['POST', 'GET', 'PUT']), body: m.mutate(wav), headers }).catch((err: Error) => ({ status: 0, body: err.message }));
        assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500) || r.status === 503, `${path}: ${r.status} ${r.body}`);
      }
    });
  });
});
