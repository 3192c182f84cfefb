/**
 * Live streams through `sayre serve` with a real stream thread, over HTTP and WebSocket on
 * loopback: the events equal those of a StreamSession on the same audio in the same
 * process (and so, for a streaming model, the final equals the offline transcript), with
 * streams from different connections decoded together.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readWav } from '../../src/audio/wav-read.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { type StreamEvent, StreamSession } from '../../src/recognizer/stream-session.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import { StreamWorkerEngine } from '../../src/server/stream-worker-engine.js';
import { HeldEngine } from './held-engine.js';
import { send } from './http-client.js';
import { type Event, postStream, quantised, toPcm, wsStream } from './stream-client.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';
import { makeTinyStreamingCtcDir } from '../helpers/tiny-streaming-model.js';

const clip = (name: string): { samples: Float32Array; sampleRate: number } => readWav(new URL(name, SAMPLES).pathname);

/** The events a StreamSession gives for `samples` fed in 100 ms chunks (as the server feeds whole 100 ms steps). */
function expectedEvents(rec: Recognizer, samples: Float32Array, rate: number): Event[] {
  const s = new StreamSession(rec);
  const step = Math.round(rate / 10);
  const out: StreamEvent[] = [];
  for (let at = 0; at < samples.length; at += step) out.push(...s.accept(samples.subarray(at, at + step), rate));
  out.push(...s.end(undefined, true));
  return JSON.parse(JSON.stringify(out)) as Event[];
}

const finals = (events: Event[]): Event[] => events.filter((e) => e.type === 'final');

async function serving(modelDir: string, body: (s: SayreServer, rec: Recognizer) => Promise<void>): Promise<void> {
  const streams = await StreamWorkerEngine.create({ modelDir });
  const s = await startServer(new HeldEngine(1), { port: 0, maxStreams: 8 }, streams);
  try {
    await body(s, Recognizer.load(modelDir));
  } finally {
    await s.close();
  }
}

test('the page finds the stream recogniser\'s model: /stream-model/ serves it where it is not the page\'s model, /health says where', async () => {
  const streamDir = makeTinyStreamingCtcDir(), pageDir = makeTinyModelDir('tiny-page');
  const health = async (s: SayreServer): Promise<unknown> => (await send(`${s.url}/health`)).json<{ streamModel: unknown }>().streamModel;
  const apart = await startServer(new HeldEngine(1), { port: 0, modelDir: pageDir, streamModelDir: streamDir }, await StreamWorkerEngine.create({ modelDir: streamDir }));
  try {
    assert.deepEqual(await health(apart), { model: basename(streamDir), streaming: true, url: '/stream-model/' });
    assert.equal((await send(`${apart.url}/stream-model/config.json`)).body, readFileSync(join(streamDir, 'config.json'), 'utf8'));
    assert.equal((await send(`${apart.url}/model/config.json`)).body, readFileSync(join(pageDir, 'config.json'), 'utf8'));
    assert.equal((await send(`${apart.url}/stream-model/cmvn.json`)).status, 404, 'only the two files the browser loads');
  } finally {
    await apart.close();
  }
  const same = await startServer(new HeldEngine(1), { port: 0, modelDir: streamDir, streamModelDir: streamDir }, await StreamWorkerEngine.create({ modelDir: streamDir }));
  try {
    assert.deepEqual(await health(same), { model: basename(streamDir), streaming: true, url: '/model/' });
    assert.equal((await send(`${same.url}/stream-model/config.json`)).status, 404, 'one model: served once, as /model/');
  } finally {
    await same.close();
  }
});

describe('live streams with a streaming model', () => {
  const modelDir = makeTinyStreamingCtcDir();
  let s: SayreServer;
  let rec: Recognizer;
  before(async () => {
    s = await startServer(new HeldEngine(1), { port: 0, maxStreams: 8 }, await StreamWorkerEngine.create({ modelDir }));
    rec = Recognizer.load(modelDir);
  });
  after(async () => { await s.close(); });

  test('POST /transcribe/stream: NDJSON events equal a StreamSession\'s; the final equals the offline transcript', async () => {
    const { samples, sampleRate } = clip('hello.wav');
    const heard = quantised(samples);
    const r = await postStream(`${s.url}/transcribe/stream`, toPcm(samples), { chunkBytes: 2 * 1000, headers: { 'Content-Type': `audio/L16; rate=${sampleRate}` } });
    assert.equal(r.status, 200);
    const expected = expectedEvents(rec, heard, sampleRate);
    assert.deepEqual(r.events, expected);
    assert.ok(r.events.some((e) => e.type === 'partial'), 'partials while the audio arrives');
    assert.equal(r.events.at(-1)!.type, 'final');
    // No endpoint inside this clip: one final, the offline transcript of the whole.
    assert.equal(finals(r.events).length, 1);
    const offline = rec.transcribe(heard, sampleRate);
    assert.equal(r.events.at(-1)!['text'], offline.text);
    assert.ok(offline.text.length > 2, 'the random model says something');
  });

  test('WebSocket: float samples at the rate of a start message give the same events; the server closes with 1000', async () => {
    const { samples, sampleRate } = clip('weather.wav');
    const r = await wsStream(`${s.url}/transcribe/stream`, toPcm(samples, 'f32le'), { chunkBytes: 4 * 777, start: { type: 'start', rate: sampleRate, encoding: 'f32le' } });
    assert.equal(r.code, 1000);
    assert.deepEqual(r.events, expectedEvents(rec, samples, sampleRate));
    assert.equal(r.events.at(-1)!['text'], rec.transcribe(samples, sampleRate).text);
  });

  /** Four clips over both transports at once; each stream's finals equal a StreamSession's. */
  async function concurrentStreams(server: SayreServer): Promise<void> {
    const files = ['hello.wav', 'weather.wav', 'fox.wav', 'call.wav'];
    const runs = files.flatMap((f, i) => {
      const { samples, sampleRate } = clip(f);
      const pcm = toPcm(samples);
      const o = { chunkBytes: 2 * Math.round(sampleRate / 10), everyMs: 5 };
      const url = `${server.url}/transcribe/stream?rate=${sampleRate}`;
      const expected = finals(expectedEvents(rec, quantised(samples), sampleRate)).map((e) => e['text']);
      return [
        postStream(url, pcm, o).then((r) => ({ f, i, how: 'POST', events: r.events, expected })),
        wsStream(url, pcm, o).then((r) => ({ f, i, how: 'WebSocket', events: r.events, expected })),
      ];
    });
    for (const r of await Promise.all(runs)) assert.deepEqual(finals(r.events).map((e) => e['text']), r.expected, `${r.how} ${r.f}`);
  }

  test('streams from several connections at once (both transports, decoded together) each get their own transcript', async () => {
    await concurrentStreams(s);
  });

  test('two stream threads decoding at once: every stream still gets its own transcript', async () => {
    const two = await startServer(new HeldEngine(1), { port: 0, maxStreams: 8 }, await StreamWorkerEngine.create({ modelDir }, 2));
    try {
      await concurrentStreams(two);
    } finally {
      await two.close();
    }
  });

  test('a stream cut by the stall timeout ends with an error event, then a final with the transcript so far and the reason', async () => {
    const streams = await StreamWorkerEngine.create({ modelDir });
    const t = await startServer(new HeldEngine(1), { port: 0, timeoutMs: 400 }, streams);
    try {
      const { samples, sampleRate } = clip('hello.wav');
      const part = samples.subarray(0, 2 * sampleRate);
      const r = await wsStream(`${t.url}/transcribe/stream?rate=${sampleRate}`, toPcm(part), { chunkBytes: 4410, end: false });
      assert.equal(r.code, 4408);
      const reason = 'the stream was cut: no audio arrived for 400 ms (--timeout)';
      const session = new StreamSession(rec);
      session.push(quantised(part), sampleRate);
      const last = session.end(reason).at(-1)!;
      assert.deepEqual(r.events.slice(-2), [{ type: 'error', error: reason, status: 408 }, JSON.parse(JSON.stringify(last)) as Event]);
      assert.notEqual(last.text, '');
    } finally {
      await t.close();
    }
  });
});

test('a bidirectional model\'s streams are re-decoded per utterance, with the events of a StreamSession', async () => {
  await serving(makeTinyModelDir('tiny-bi'), async (s, rec) => {
    const { samples, sampleRate } = clip('fox.wav');
    const r = await wsStream(`${s.url}/transcribe/stream?rate=${sampleRate}`, toPcm(samples), { chunkBytes: 3000 });
    assert.equal(r.code, 1000);
    assert.deepEqual(finals(r.events), finals(expectedEvents(rec, quantised(samples), sampleRate)));
    assert.equal(finals(r.events).at(-1)!['text'], rec.transcribe(quantised(samples), sampleRate).text);
  });
});
