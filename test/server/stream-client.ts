/** Clients of the server's live streams for tests: a chunked POST reading NDJSON, and a WebSocket. */
import { request } from 'node:http';
import { WebSocket } from 'ws';

/** An event as the server sent it. */
export type Event = Record<string, unknown> & { type: string };

/** Samples in [-1, 1) as PCM bytes: 16-bit (rounded as a recorder would) or 32-bit float, little-endian. */
export function toPcm(samples: Float32Array, encoding: 's16le' | 'f32le' = 's16le'): Uint8Array {
  if (encoding === 'f32le') return new Uint8Array(Float32Array.from(samples).buffer);
  return new Uint8Array(Int16Array.from(samples, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32768)))).buffer);
}

/** What 16-bit PCM decodes to on the server. */
export function quantised(samples: Float32Array): Float32Array {
  return Float32Array.from(new Int16Array(toPcm(samples).buffer), (v) => v / 32768);
}

function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * POSTs `pcm` to `url` in pieces of `chunkBytes` (every `everyMs`), ending the body unless
 * `end` is false; resolves with the status and the NDJSON events.
 */
export async function postStream(url: string, pcm: Uint8Array, o: { chunkBytes: number; everyMs?: number; end?: boolean; headers?: Record<string, string> }): Promise<{ status: number; events: Event[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: o.headers }, (res) => {
      let text = '';
      const done = (): void => resolve({ status: res.statusCode!, events: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event) });
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', (err) => { if (!req.writableEnded) reject(err); });
    req.flushHeaders();
    void (async () => {
      for (const p of pieces(pcm, o.chunkBytes)) {
        if (req.destroyed) return;
        req.write(p);
        if (o.everyMs) await pause(o.everyMs);
      }
      if (o.end !== false) req.end();
    })();
  });
}

/** The outcome of a WebSocket stream: the events, the close code, or the refused upgrade's status. */
export interface WsOutcome {
  events: Event[];
  code: number;
  /** The HTTP status when the upgrade was refused. */
  refused?: number;
  refusal?: string;
}

/**
 * Streams `pcm` over a WebSocket: `start` first when given, then binary messages of
 * `chunkBytes` (every `everyMs`), then {"type":"end"} unless `end` is false.
 */
export function wsStream(url: string, pcm: Uint8Array, o: { chunkBytes: number; everyMs?: number; start?: object; end?: boolean; headers?: Record<string, string> }): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers: o.headers });
    const events: Event[] = [];
    ws.on('message', (data) => events.push(JSON.parse(String(data)) as Event));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ events, code: 0, refused: res.statusCode!, refusal: body }));
    });
    ws.on('error', () => { /* the outcome comes with close */ });
    ws.on('close', (code) => resolve({ events, code }));
    ws.on('open', () => void (async () => {
      if (o.start) ws.send(JSON.stringify(o.start));
      for (const p of pieces(pcm, o.chunkBytes)) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(p);
        if (o.everyMs) await pause(o.everyMs);
      }
      if (o.end !== false && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'end' }));
    })());
  });
}
