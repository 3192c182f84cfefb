import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeWav } from '../../src/audio/wav-read.js';
import { encodeWav } from '../../src/audio/wav-write.js';
import { buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { writeArpa } from '../../src/decode/lm/arpa-writer.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import type { TranscriptionJson } from '../../src/recognizer/transcription-json.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { HeldEngine } from './held-engine.js';
import { ffmpeg, programMissing } from '../helpers/speech-audio.js';
import { send } from './http-client.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';

const helloPath = fileURLToPath(new URL('hello.wav', SAMPLES));
const hello = new Uint8Array(readFileSync(helloPath));

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sayre serve with a real recogniser thread', () => {
  const modelDir = makeTinyModelDir('tiny-en');
  let s: SayreServer;
  before(async () => {
    s = await startServer(await WorkerEngine.create({ modelDir }), { port: 0, modelDir, maxBodyBytes: 400_000, maxSeconds: 5 });
  });
  after(async () => { await s.close(); });

  test('binds to loopback by default, and answers /health', async () => {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await send(`${s.url}/health`);
    assert.equal(r.status, 200);
    const h = r.json<{ status: string; model: string; decoder: string; queue: { slots: number } }>();
    assert.deepEqual([h.status, h.model, h.decoder, h.queue.slots], ['ok', 'tiny-en', 'greedy', 1]);
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
  });

  test('FLAC and MP3 uploads are read by content: FLAC like its WAV, exactly', { skip: programMissing('ffmpeg') ?? false }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-serve-formats-'));
    const flac = join(dir, 'hello.flac');
    const mp3 = join(dir, 'hello.mp3');
    ffmpeg(helloPath, flac);
    ffmpeg(helloPath, mp3);
    const expected = Recognizer.load(modelDir).transcribeFile(helloPath);
    const r = await send(`${s.url}/transcribe`, { body: new Uint8Array(readFileSync(flac)) });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json<TranscriptionJson>().text, expected.text);
    const m = await send(`${s.url}/transcribe`, { body: new Uint8Array(readFileSync(mp3)) });
    assert.equal(m.status, 200, m.body);
    assert.ok(Math.abs(m.json<TranscriptionJson>().duration - 3.474) < 0.01);
    const cut = new Uint8Array(readFileSync(flac)).subarray(0, 20000);
    const c = await send(`${s.url}/transcribe`, { body: cut });
    assert.equal(c.status, 400, c.body);
    assert.match(c.json<{ error: string }>().error, /^upload: truncated audio file: FLAC/);
  });

  test('a good upload gets the library\'s transcription, word timings, confidence and model name', async () => {
    const expected = Recognizer.load(modelDir).transcribeFile(helloPath);
    for (const chunked of [false, true]) {
      const r = await send(`${s.url}/transcribe`, { body: hello, chunked });
      assert.equal(r.status, 200, r.body);
      const j = r.json<TranscriptionJson>();
      assert.equal(j.text, expected.text);
      assert.equal(j.model, 'tiny-en');
      assert.deepEqual(j.words.map((w) => [w.word, w.start, w.end]), expected.words.map((w) => [w.word, w.start, w.end]));
      assert.ok(j.confidence > 0 && j.confidence <= 1);
      assert.ok(Math.abs(j.duration - 3.474) < 0.01);
    }
    // Another rate and stereo: resampled and mixed down like the library does.
    const rec = Recognizer.load(modelDir);
    const mono = new Float32Array(8000).map((_, i) => 0.3 * Math.sin(i / 5));
    const r = await send(`${s.url}/transcribe`, { body: encodeWav(mono, 8000) });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json<TranscriptionJson>().text, rec.transcribe(new Float32Array(mono.map((x) => Math.round(x * 32767) / 32768)), 8000).text);
  });

  test('bad uploads get a 4xx that says what is wrong, and the server keeps serving', async () => {
    const cases: [string, Uint8Array | undefined, number, RegExp, boolean?][] = [
      ['oversized', new Uint8Array(500_000), 413, /larger than the 400000 bytes/],
      ['oversized, chunked', new Uint8Array(500_000), 413, /larger than the 400000 bytes/, true],
      ['too long', encodeWav(new Float32Array(16000 * 6), 16000), 413, /longer than the 5 s allowed/],
      ['truncated', hello.subarray(0, 5000), 400, /truncated WAV/],
      ['header only', hello.subarray(0, 10), 400, /truncated WAV/],
      ['not a WAV', new TextEncoder().encode('{"audio": "this is JSON, not a WAV file"}'), 415, /not a WAV file/],
      ['empty', new Uint8Array(0), 400, /empty body/],
    ];
    for (const [what, body, status, message, chunked] of cases) {
      const r = await send(`${s.url}/transcribe`, { method: 'POST', body, chunked });
      assert.equal(r.status, status, `${what}: ${r.body}`);
      assert.match(r.json<{ error: string }>().error, message, what);
    }
    assert.equal((await send(`${s.url}/transcribe`)).status, 405);
    assert.equal((await send(`${s.url}/no/such/thing`)).status, 404);
    assert.equal((await send(`${s.url}/dist/../package.json`)).status, 404);
    assert.equal((await send(`${s.url}/transcribe`, { body: hello })).status, 200, 'still serving');
  });

  test('the demo page and its modules are served, with CommonJS packages and Node built-ins as ES modules', async () => {
    const page = await send(`${s.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<script type="module" src="\/dist\/src\/web\/demo\.js">/);
    assert.match((await send(`${s.url}/dist/src/audio/wav-chunks.js`)).body, /from '\/vendor\/wavefile\.js'/);
    assert.match((await send(`${s.url}/dist/src/audio/wav-read.js`)).body, /from '\/shims\/fs\/promises\.js'/);
    const gunzip = (await send(`${s.url}/dist/src/decode/lm/arpa-gunzip.js`)).body;
    assert.match(gunzip, /from '\/vendor\/fflate\.js'/);
    assert.match(gunzip, /from '\/shims\/zlib\.js'/);
    assert.match((await send(`${s.url}/vendor/fflate.js`)).body, /export/);
    assert.match((await send(`${s.url}/dist/src/util/read-bounded.js`)).body, /from '\/shims\/fs\.js'/);
    assert.equal((await send(`${s.url}/dist/src/backend/wasm/kernels-simd-local.wasm`)).headers['content-type'], 'application/wasm');
    const fft = await send(`${s.url}/vendor/fft.js`);
    assert.match(fft.body, /export default module\.exports/);
    const fs = await send(`${s.url}/shims/fs.js`);
    assert.match(fs.body, /export const readFileSync = /);
    assert.equal((await send(`${s.url}/model/config.json`)).status, 200);
    assert.equal((await send(`${s.url}/model/secret.txt`)).status, 404);
  });

  test('memory stays bounded across 1,000 requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const short = encodeWav(new Float32Array(4000).map((_, i) => 0.2 * Math.sin(i / 7)), 16000);
    const batch = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i += 4) {
        const rs = await Promise.all([0, 1, 2, 3].map((k) => send(`${s.url}/transcribe`, { body: k === 3 ? short.subarray(0, 100) : short, agent })));
        for (const [k, r] of rs.entries()) assert.equal(r.status, k === 3 ? 400 : 200, r.body);
      }
    };
    await batch(200); // warm up: code, pools and buffers reach their working size
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    await batch(800);
    globalThis.gc?.();
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    agent.destroy();
    assert.ok(grown < 40, `RSS grew by ${grown.toFixed(1)} MiB over 800 requests`);
    const stats = (await send(`${s.url}/health`)).json<{ queue: { running: number; waiting: number } }>().queue;
    assert.deepEqual([stats.running, stats.waiting], [0, 0]);
  });
});

describe('the bounded queue', () => {
  test('a full queue answers 503 with Retry-After at once; queued work still finishes', async () => {
    const engine = new HeldEngine(1);
    const s = await startServer(engine, { port: 0, maxQueue: 1 });
    try {
      const first = send(`${s.url}/transcribe`, { body: hello });
      const second = send(`${s.url}/transcribe`, { body: hello });
      while (s.queue.stats().waiting < 1) await tick();
      const third = await send(`${s.url}/transcribe`, { body: hello });
      assert.equal(third.status, 503);
      assert.match(third.json<{ error: string }>().error, /server busy/);
      assert.ok(Number(third.headers['retry-after']) >= 1);
      assert.equal((await send(`${s.url}/health`)).status, 200, '/health answers while the queue is full');
      engine.held[0]!.finish();
      while (engine.held.length < 2) await tick();
      engine.held[1]!.finish();
      assert.deepEqual([(await first).status, (await second).status], [200, 200]);
      assert.equal(s.queue.stats().rejected, 1);
    } finally {
      await s.close();
    }
  });

  test('a job past its deadline gets 504 and is cancelled; the next one runs', async () => {
    const engine = new HeldEngine(1);
    const s = await startServer(engine, { port: 0, timeoutMs: 150 });
    try {
      const r = await send(`${s.url}/transcribe`, { body: hello });
      assert.equal(r.status, 504);
      assert.match(r.json<{ error: string }>().error, /within 150 ms/);
      assert.equal(engine.held[0]!.cancelled, true);
      const next = send(`${s.url}/transcribe`, { body: hello });
      while (engine.held.length < 2) await tick();
      engine.held[1]!.finish();
      assert.equal((await next).status, 200);
    } finally {
      await s.close();
    }
  });

  test('with an ARPA language model the threads decode by beam search (--lm)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-lm-'));
    const lmPath = join(dir, 'lm.arpa');
    const sentences = ['hello world this is a test', 'the weather is fine today', 'please call me back'].map((s) => s.split(' '));
    writeArpa(buildKneserNey(sentences, { order: 2, discountFallback: [0.5, 1, 1.5] }).model, lmPath);
    const engine = await WorkerEngine.create({ modelDir: makeTinyModelDir(), lm: lmPath, beamWidth: 4 });
    try {
      assert.equal(engine.decoder, 'beam');
      const r = await engine.start({ samples: decodeWav(hello).samples, sampleRate: decodeWav(hello).sampleRate }).result;
      assert.equal(r.decoder, 'beam');
      assert.equal(r.words.map((w) => w.word).join(' '), r.text);
      for (const w of r.words) assert.ok(w.start <= w.end && w.confidence > 0 && w.confidence <= 1, JSON.stringify(w));
    } finally {
      await engine.close();
    }
    await assert.rejects(WorkerEngine.create({ modelDir: makeTinyModelDir(), lm: join(dir, 'missing.arpa') }), /missing\.arpa/);
  });

  test('samples already transferred to one job are refused by the next, and the thread stays usable', async () => {
    const engine = await WorkerEngine.create({ modelDir: makeTinyModelDir() });
    try {
      const samples = new Float32Array(1600);
      assert.equal((await engine.start({ samples, sampleRate: 16000 }).result).model, 'tiny');
      assert.equal(samples.length, 0);
      assert.throws(() => engine.start({ samples, sampleRate: 16000 }), /each job needs its own array/);
      const r = await engine.start({ samples: new Float32Array(1600), sampleRate: 16000 }).result;
      assert.equal(r.model, 'tiny');
    } finally {
      await engine.close();
    }
  });

  test('a cancelled recogniser thread is replaced', async () => {
    const modelDir = makeTinyModelDir();
    const engine = await WorkerEngine.create({ modelDir });
    try {
      const job = engine.start({ samples: new Float32Array(16000 * 30), sampleRate: 16000 });
      job.cancel();
      await assert.rejects(job.result, /cancelled/);
      let r: TranscriptionJson | undefined;
      while (!r) {
        try { r = await engine.start({ samples: new Float32Array(1600), sampleRate: 16000 }).result; } catch { await tick(); }
      }
      assert.equal(r.model, 'tiny');
    } finally {
      await engine.close();
    }
  });
});
