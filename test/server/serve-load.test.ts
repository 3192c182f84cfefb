/** `sayre serve` under abuse: connection and stream limits, deadlines that hold, graceful close, Host checking, 4xx for bad bodies. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { startServer, type SayreServer, type ServeOptions } from '../../src/server/server.js';
import { HeldEngine } from './held-engine.js';
import { send } from './http-client.js';
import { wavClaiming } from '../helpers/hostile-files.js';
import { CountingStreamEngine } from '../helpers/counting-stream-engine.js';
import { WebSocket } from 'ws';
import { type Event, wsStream } from './stream-client.js';

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withServer(options: ServeOptions, body: (s: SayreServer, engine: HeldEngine, streams: CountingStreamEngine) => Promise<void>, slots = 1): Promise<void> {
  const engine = new HeldEngine(slots);
  const streams = new CountingStreamEngine();
  const s = await startServer(engine, { port: 0, ...options }, streams);
  try {
    await body(s, engine, streams);
  } finally {
    for (const h of engine.held) h.finish();
    await s.close();
  }
}

/** A streaming request kept open: write PCM with `write`, close it with `end`; `events` resolves with its NDJSON events and `status` with its status. */
function openStream(url: string, query = 'rate=16000'): { write(bytes: number | Uint8Array): void; end(): void; abort(): void; status: Promise<number>; events: Promise<Event[]> } {
  let setStatus!: (n: number) => void;
  const status = new Promise<number>((r) => { setStatus = r; });
  const req = request(`${url}/transcribe/stream?${query}`, { method: 'POST' });
  const events = new Promise<Event[]>((resolve) => {
    req.on('response', (res) => {
      setStatus(res.statusCode!);
      let text = '';
      const done = (): void => resolve(text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event));
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', done);
      res.on('error', done);
    });
  });
  req.on('error', () => { /* the server may cut it */ });
  req.flushHeaders();
  return { write: (b) => void req.write(typeof b === 'number' ? new Uint8Array(b) : b), end: () => void req.end(), abort: () => void req.destroy(), status, events };
}

/** A WebSocket stream kept open; `closed` resolves with its events and close code once the server closes it. */
async function openSocket(url: string, query = 'rate=16000', headers: Record<string, string> = {}): Promise<{ ws: WebSocket; closed: Promise<{ events: Event[]; code: number }> }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/transcribe/stream?${query}`, { headers });
  const events: Event[] = [];
  ws.on('message', (d) => events.push(JSON.parse(String(d)) as Event));
  const closed = new Promise<{ events: Event[]; code: number }>((r) => ws.on('close', (code) => r({ events, code })));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  return { ws, closed };
}

const streamUrl = (s: SayreServer, query = 'rate=16000'): string => `${s.url}/transcribe/stream?${query}`;
const lastTwo = (events: Event[]): Event[] => events.slice(-2);

describe('sayre serve under load', () => {
  test('--max-streams counts both transports: one beyond the limit gets 503 with Retry-After; the open ones still finish', async () => {
    await withServer({ maxStreams: 2 }, async (s, _engine, streams) => {
      const a = openStream(s.url);
      a.write(3200);
      assert.equal(await a.status, 200);
      const b = await openSocket(s.url);
      while (streams.streams.length < 1) await tick();
      b.ws.send(new Uint8Array(640));
      const c = await send(`${s.url}/transcribe/stream?rate=16000`, { body: new Uint8Array(3200) });
      assert.equal(c.status, 503);
      assert.match(c.json<{ error: string }>().error, /2 streams open, 2 allowed \(--max-streams\)/);
      assert.ok(Number(c.headers['retry-after']) >= 1);
      const d = await wsStream(streamUrl(s), new Uint8Array(640), { chunkBytes: 640 });
      assert.equal(d.refused, 503);
      assert.match(d.refusal!, /2 streams open, 2 allowed \(--max-streams\)/);
      a.end();
      assert.deepEqual((await a.events).at(-1), { type: 'final', text: '1600 samples', start: 0, end: 0.1, words: [] });
      b.ws.send(JSON.stringify({ type: 'end' }));
      const bDone = await b.closed;
      assert.equal(bDone.code, 1000);
      assert.equal(bDone.events.at(-1)!['text'], '320 samples');
      // The slots are free again.
      const e = await wsStream(streamUrl(s), new Uint8Array(320), { chunkBytes: 320 });
      assert.deepEqual([e.code, e.events.at(-1)!['text']], [1000, '160 samples']);
      assert.equal((await send(`${s.url}/health`)).json<{ streams: number }>().streams, 0);
    });
  });

  test('--max-connections: a request on a connection beyond the limit gets 503', async () => {
    await withServer({ maxConnections: 2 }, async (s) => {
      const port = Number(new URL(s.url).port);
      const idle: Socket[] = [];
      for (let i = 0; i < 2; i++) idle.push(await new Promise<Socket>((r) => { const c = connect(port, '127.0.0.1', () => r(c)); }));
      await tick(50);
      const r = await send(`${s.url}/health`);
      assert.equal(r.status, 503);
      assert.match(r.json<{ error: string }>().error, /3 connections open, 2 allowed \(--max-connections\)/);
      for (const c of idle) c.destroy();
      await tick(50);
      assert.equal((await send(`${s.url}/health`)).status, 200);
    });
  });

  test('a stream that stalls for --timeout is cut: an error event, then a final with the reason (WebSocket: closed with 4408)', async () => {
    await withServer({ timeoutMs: 300 }, async (s) => {
      const reason = 'the stream was cut: no audio arrived for 300 ms (--timeout)';
      const a = openStream(s.url);
      a.write(320);
      assert.deepEqual(lastTwo(await a.events), [
        { type: 'error', error: reason, status: 408 },
        { type: 'final', text: '160 samples', start: 0, end: 0.01, words: [], reason },
      ]);
      const b = await openSocket(s.url);
      b.ws.send(new Uint8Array(320));
      const done = await b.closed;
      assert.equal(done.code, 4408);
      assert.deepEqual(lastTwo(done.events).map((e) => e.type), ['error', 'final']);
      // A stream that never sent audio ends with an empty final.
      const c = await openSocket(s.url);
      assert.deepEqual((await c.closed).events, [{ type: 'error', error: reason, status: 408 }, { type: 'final', text: '', start: 0, end: 0, words: [], reason }]);
    });
  });

  test('a stream that trickles audio forever is cut after --max-stream-seconds plus --timeout; one past --max-stream-seconds gets 413', async () => {
    await withServer({ timeoutMs: 300, maxStreamSeconds: 0.2 }, async (s) => {
      const a = openStream(s.url);
      const timer = setInterval(() => a.write(2), 50); // one sample per 50 ms: never past 0.2 s of audio
      try {
        const [error, final] = lastTwo(await a.events);
        assert.equal(error!['status'], 408);
        assert.match(String(error!['error']), /the stream was cut: it lasted more than 500 ms \(--max-stream-seconds plus --timeout\)/);
        assert.equal(final!['reason'], error!['error']);
      } finally {
        clearInterval(timer);
      }
      const b = await wsStream(streamUrl(s), new Uint8Array(2 * 16000), { chunkBytes: 1600 });
      assert.equal(b.code, 4413);
      const [error, final] = lastTwo(b.events);
      assert.match(String(error!['error']), /its audio passed the 0\.2 s allowed \(--max-stream-seconds\)/);
      assert.equal(final!['type'], 'final');
      assert.ok(Number(final!['end']) <= 0.2 + 0.05, 'nothing beyond the limit was decoded');
    });
  });

  test('a stream sent faster than the recogniser takes it in is paused at --max-stream-lag: its memory stays bounded', async () => {
    await withServer({ maxStreamLagSeconds: 0.5 }, async (s, _engine, streams) => {
      streams.held = true;
      const a = await openSocket(s.url);
      const chunk = new Uint8Array(3200); // 0.1 s
      for (let i = 0; i < 100; i++) a.ws.send(chunk); // 10 s at once
      while (streams.streams.length < 1 || streams.streams[0]!.samples < 8000) await tick();
      await tick(300);
      const seen = streams.streams[0]!.samples;
      // Paused past 0.5 s of lag; what one read from the socket already held (64 KiB at most) still comes.
      assert.ok(seen <= 16000 * 0.6 + 65536 / 2, `the server took in ${seen} of the 160000 samples sent, past 0.5 s of lag`);
      streams.release();
      a.ws.send(JSON.stringify({ type: 'end' }));
      const done = await a.closed;
      assert.equal(done.code, 1000);
      assert.equal(done.events.at(-1)!['text'], '160000 samples');
    });
  });

  test('a client that goes away: its stream is dropped from the recogniser and no longer counted', async () => {
    await withServer({}, async (s, _engine, streams) => {
      const a = openStream(s.url);
      a.write(3200);
      const b = await openSocket(s.url);
      b.ws.send(new Uint8Array(3200));
      while (streams.streams.length < 2) await tick();
      a.abort();
      b.ws.terminate();
      while (!streams.streams.every((x) => x.dropped)) await tick();
      assert.equal((await send(`${s.url}/health`)).json<{ streams: number }>().streams, 0);
    });
  });

  test('an upload that does not arrive within --timeout gets 408 and loses its connection', async () => {
    await withServer({ timeoutMs: 300 }, async (s) => {
      const port = Number(new URL(s.url).port);
      const reply = await new Promise<string>((resolve) => {
        const c = connect(port, '127.0.0.1', () => c.write('POST /transcribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nRIFF'));
        let text = '';
        c.on('data', (d: Buffer) => { text += d.toString(); });
        c.on('close', () => resolve(text));
        c.on('error', () => { /* closed by the server */ });
      });
      assert.match(reply, /^HTTP\/1\.1 408 /);
      assert.match(reply, /the upload did not arrive within 300 ms \(--timeout\)/);
    });
  });

  test('close(): queued requests get 503 "server shutting down", running work finishes within the grace period', async () => {
    await withServer({ maxQueue: 4, graceMs: 5000 }, async (s, engine) => {
      const body = wavClaiming(16000, 1600);
      const running = send(`${s.url}/transcribe`, { body });
      while (engine.held.length < 1) await tick();
      const queued = [send(`${s.url}/transcribe`, { body }), send(`${s.url}/transcribe`, { body })];
      while (s.queue.stats().waiting < 2) await tick();
      const closed = s.close();
      for (const q of queued) {
        const r = await q;
        assert.equal(r.status, 503);
        assert.match(r.json<{ error: string }>().error, /server shutting down/);
      }
      engine.held[0]!.finish();
      const r = await running;
      assert.equal(r.status, 200);
      assert.equal(r.json<{ text: string }>().text, '1600 samples');
      await closed;
    });
  });

  test('close(): work still running after the grace period is answered 503, not reset; open streams end with an error and a final', async () => {
    await withServer({ graceMs: 200, maxStreams: 2 }, async (s, engine) => {
      const running = send(`${s.url}/transcribe`, { body: wavClaiming(16000, 1600) });
      while (engine.held.length < 1) await tick();
      const stream = openStream(s.url);
      stream.write(320);
      assert.equal(await stream.status, 200);
      const socket = await openSocket(s.url);
      socket.ws.send(new Uint8Array(640));
      await s.close();
      const r = await running;
      assert.equal(r.status, 503);
      const reason = 'server shutting down: the work was cut after the 200 ms grace period';
      assert.match(r.json<{ error: string }>().error, new RegExp(reason));
      assert.deepEqual(lastTwo(await stream.events), [
        { type: 'error', error: reason, status: 503 },
        { type: 'final', text: '160 samples', start: 0, end: 0.01, words: [], reason },
      ]);
      const closed = await socket.closed;
      assert.equal(closed.code, 4503);
      assert.deepEqual(lastTwo(closed.events), [
        { type: 'error', error: reason, status: 503 },
        { type: 'final', text: '320 samples', start: 0, end: 0.02, words: [], reason },
      ]);
    });
  });

  test('Host checking: a loopback listener accepts localhost, 127.0.0.1 and [::1] on any port; other names get 421 unless allowed', async () => {
    await withServer({}, async (s) => {
      for (const host of ['localhost', 'localhost:8080', '127.0.0.1', '127.0.0.1:1', '[::1]', '[::1]:9000', 'LOCALHOST:80']) {
        assert.equal((await send(`${s.url}/health`, { headers: { Host: host } })).status, 200, host);
      }
      for (const host of ['attacker.example', 'attacker.example:8080', '10.0.0.1', 'localhost.attacker.example', '127.0.0.1.nip.io', '[::1']) {
        const r = await send(`${s.url}/health`, { headers: { Host: host } });
        assert.equal(r.status, 421, host);
        assert.match(r.json<{ error: string }>().error, /is not a name of this server/);
      }
    });
    await withServer({ allowedHosts: ['speech.internal'] }, async (s) => {
      assert.equal((await send(`${s.url}/health`, { headers: { Host: 'speech.internal:8080' } })).status, 200);
      assert.equal((await send(`${s.url}/health`, { headers: { Host: 'other.internal' } })).status, 421);
    });
  });

  test('WebSockets: a page of another origin gets 403, a rebound Host 421; the server\'s own pages and clients that are not browsers are served', async () => {
    await withServer({}, async (s) => {
      const pcm = new Uint8Array(320);
      const other = await wsStream(streamUrl(s), pcm, { chunkBytes: 320, headers: { Origin: 'https://attacker.example' } });
      assert.equal(other.refused, 403);
      assert.match((JSON.parse(other.refusal!) as { error: string }).error, /Origin "https:\/\/attacker\.example" may not open streams on this server/);
      assert.equal((await wsStream(streamUrl(s), pcm, { chunkBytes: 320, headers: { Host: 'attacker.example' } })).refused, 421);
      assert.equal((await wsStream(streamUrl(s), pcm, { chunkBytes: 320, headers: { Origin: s.url } })).code, 1000);
      assert.equal((await wsStream(streamUrl(s), pcm, { chunkBytes: 320 })).code, 1000);
      assert.equal((await wsStream(`${s.url}/elsewhere`, pcm, { chunkBytes: 320 })).refused, 404);
    });
  });

  test('bad bodies are 4xx, never 500: a refused sample rate, float64 beyond float32', async () => {
    await withServer({}, async (s) => {
      const rate = await send(`${s.url}/transcribe`, { body: wavClaiming(4_000_000_000, 1600) });
      assert.equal(rate.status, 415);
      assert.match(rate.json<{ error: string }>().error, /upload: unsupported WAV: sample rate 4000000000 Hz is above the 384000 Hz allowed/);
      const huge = await send(`${s.url}/transcribe`, { body: wavClaiming(16000, 0, Float64Array.of(0, 1e300)) });
      assert.equal(huge.status, 400);
      assert.match(huge.json<{ error: string }>().error, /upload: malformed WAV file: sample 1 \(1e\+300\) is beyond the range of 32-bit floats/);
      const stream = await send(`${s.url}/transcribe/stream?rate=8`, { body: new Uint8Array(100) });
      assert.equal(stream.status, 400);
      assert.match(stream.json<{ error: string }>().error, /rate must be an integer sample rate in Hz \(1000 to 384000\)/);
      const ws = await wsStream(streamUrl(s), new Uint8Array(100), { chunkBytes: 100, start: { type: 'start', rate: 8 } });
      assert.equal(ws.code, 4400);
      assert.match(String(ws.events.at(-2)!['error']), /rate must be an integer sample rate in Hz/);
      assert.equal((await wsStream(streamUrl(s, 'encoding=f64le'), new Uint8Array(0), { chunkBytes: 1 })).refused, 400);
      const nan = await send(`${s.url}/transcribe/stream?encoding=f32le`, { body: new Uint8Array(Float32Array.of(0.5, Number.NaN).buffer) });
      assert.equal(nan.status, 200);
      const [error, final] = nan.body.trim().split('\n').slice(-2).map((l) => JSON.parse(l) as Event);
      assert.deepEqual([error!['status'], final!['type']], [400, 'final']);
      assert.match(String(error!['error']), /float sample 1 is NaN, not a number in \[-1, 1\]/);
      const empty = await wsStream(streamUrl(s), new Uint8Array(0), { chunkBytes: 1 });
      assert.equal(empty.code, 4400);
      assert.match(String(empty.events[0]!['error']), /empty stream/);
      const junk = await openSocket(s.url);
      junk.ws.send('hello');
      assert.equal((await junk.closed).code, 4400);
    });
  });

  test('without a stream engine the stream endpoints answer 501', async () => {
    const s = await startServer(new HeldEngine(1), { port: 0 });
    try {
      assert.equal((await send(`${s.url}/transcribe/stream`, { body: new Uint8Array(10) })).status, 501);
      assert.equal((await wsStream(streamUrl(s), new Uint8Array(10), { chunkBytes: 10 })).refused, 501);
    } finally {
      await s.close();
    }
  });
});
