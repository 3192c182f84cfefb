/** `sayre serve` under abuse: connection and stream limits, deadlines that hold, graceful close, Host checking, 4xx for bad bodies. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { startServer, type SayreServer, type ServeOptions } from '../../src/server/server.js';
import { HeldEngine } from './held-engine.js';
import { send } from './http-client.js';
import { wavClaiming } from '../helpers/hostile-files.js';

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function withServer(options: ServeOptions, body: (s: SayreServer, engine: HeldEngine) => Promise<void>, slots = 1): Promise<void> {
  const engine = new HeldEngine(slots);
  const s = await startServer(engine, { port: 0, ...options });
  try {
    await body(s, engine);
  } finally {
    for (const h of engine.held) h.finish();
    await s.close();
  }
}

/** A streaming request kept open: write PCM with `write`, close it with `end`; `lines` resolves with its NDJSON lines and `status` with its status. */
function openStream(url: string): { write(bytes: number): void; end(): void; status: Promise<number>; lines: Promise<Record<string, unknown>[]> } {
  let setStatus!: (n: number) => void;
  const status = new Promise<number>((r) => { setStatus = r; });
  const req = request(`${url}/transcribe/stream?rate=16000`, { method: 'POST' });
  const lines = new Promise<Record<string, unknown>[]>((resolve) => {
    req.on('response', (res) => {
      setStatus(res.statusCode!);
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve(text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)));
      res.on('error', () => resolve(text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)));
    });
  });
  req.on('error', () => { /* the server may cut it */ });
  req.flushHeaders();
  return { write: (bytes) => void req.write(new Uint8Array(bytes)), end: () => void req.end(), status, lines };
}

describe('sayre serve under load', () => {
  test('--max-streams: a stream beyond the limit gets 503 with Retry-After; the open one still finishes', async () => {
    await withServer({ maxStreams: 1 }, async (s, engine) => {
      const a = openStream(s.url);
      a.write(3200);
      assert.equal(await a.status, 200);
      const b = await send(`${s.url}/transcribe/stream?rate=16000`, { body: new Uint8Array(3200) });
      assert.equal(b.status, 503);
      assert.match(b.json<{ error: string }>().error, /1 streams open, 1 allowed \(--max-streams\)/);
      assert.ok(Number(b.headers['retry-after']) >= 1);
      a.end();
      while (engine.held.length < 1) await tick();
      engine.held.at(-1)!.finish();
      const last = (await a.lines).at(-1)!;
      assert.equal(last['final'], true);
      assert.equal(last['text'], '1600 samples');
      // The slot is free again.
      const c = openStream(s.url);
      c.write(320);
      assert.equal(await c.status, 200);
      c.end();
      while (engine.held.length < 2) await tick();
      engine.held.at(-1)!.finish();
      assert.equal((await c.lines).at(-1)!['final'], true);
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

  test('a stream that stalls for --timeout is cut, and ends with a final line saying why', async () => {
    await withServer({ timeoutMs: 300 }, async (s) => {
      const a = openStream(s.url);
      a.write(320);
      const lines = await a.lines;
      assert.deepEqual(lines.at(-1), { final: true, error: 'the stream was cut: no audio arrived for 300 ms (--timeout)', status: 408 });
    });
  });

  test('a stream that trickles audio forever is cut after --max-seconds plus --timeout', async () => {
    await withServer({ timeoutMs: 300, maxSeconds: 0.2 }, async (s) => {
      const a = openStream(s.url);
      const timer = setInterval(() => a.write(2), 50); // one sample per 50 ms: never past 0.2 s of audio
      try {
        const last = (await a.lines).at(-1)!;
        assert.equal(last['status'], 408);
        assert.match(String(last['error']), /the stream was cut: it lasted more than 500 ms \(--max-seconds plus --timeout\)/);
      } finally {
        clearInterval(timer);
      }
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

  test('close(): work still running after the grace period is answered 503, not reset; open streams end with a final line', async () => {
    await withServer({ graceMs: 200, maxStreams: 2 }, async (s, engine) => {
      const running = send(`${s.url}/transcribe`, { body: wavClaiming(16000, 1600) });
      while (engine.held.length < 1) await tick();
      const stream = openStream(s.url);
      stream.write(320);
      assert.equal(await stream.status, 200);
      await s.close();
      const r = await running;
      assert.equal(r.status, 503);
      assert.match(r.json<{ error: string }>().error, /server shutting down: the work was cut after the 200 ms grace period/);
      assert.deepEqual((await stream.lines).at(-1), { final: true, error: 'server shutting down: the work was cut after the 200 ms grace period', status: 503 });
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
    });
  });
});
