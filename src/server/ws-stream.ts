/**
 * The WebSocket form of /transcribe/stream (npm `ws`): binary messages carry raw PCM
 * (16-bit little-endian mono unless the format says f32le); text messages are JSON:
 * `{"type":"start","rate":48000,"encoding":"f32le"}` (optional, before the audio, instead of
 * the URL's ?rate=&encoding=) and `{"type":"end"}` (no more audio). The server sends the
 * events as JSON text messages, the last a final, then closes: 1000 after a normal end,
 * 4000 + the HTTP status after a cut (4408 a deadline, 4413 too long, 4503 shutdown).
 */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { HttpError } from './http-error.js';
import { LiveStream, type LiveStreamLimits } from './live-stream.js';
import type { PcmFormat } from './pcm-decoder.js';
import type { StreamEngine } from './stream-engine.js';
import { streamFormat } from './stream-format.js';

/** The largest message a client may send (1 MiB: several seconds of audio); a larger one closes the socket (1009). */
export const MAX_WS_MESSAGE_BYTES = 1 << 20;

/** Accepts WebSocket upgrades for the server (no compression: audio does not compress, and inflating costs memory). */
export function webSocketServer(): WebSocketServer {
  return new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
}

/** Answers a refused upgrade with a plain HTTP error (JSON, as the other endpoints) and closes the socket. */
export function refuseUpgrade(socket: Duplex, err: unknown): void {
  const e = err instanceof HttpError ? err : new HttpError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  const body = JSON.stringify({ error: e.message, status: e.status }) + '\n';
  const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close', ...e.headers };
  socket.end(`HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? 'Error'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
}

/** Serves one accepted WebSocket stream; `track` is told of the stream; resolves when it is over. */
export function serveWsStream(ws: WebSocket, engine: StreamEngine, format: PcmFormat, limits: LiveStreamLimits, track: (live: LiveStream) => void): Promise<void> {
  const live = new LiveStream(engine, {
    send: (e) => ws.send(JSON.stringify(e)),
    finish: (status) => ws.close(status === undefined ? 1000 : 4000 + status),
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  }, limits, format);
  track(live);
  ws.on('message', (data: RawData, binary: boolean) => {
    if (binary) return live.write(bytesOf(data));
    try {
      command(live, String(data));
    } catch (err) {
      live.cut(err instanceof HttpError ? err : new HttpError(400, String(err)));
    }
  });
  ws.on('close', () => live.gone());
  ws.on('error', () => live.gone());
  return live.done;
}

/** A text message: start (the format) or end. */
function command(live: LiveStream, text: string): void {
  let m: { type?: unknown; rate?: unknown; encoding?: unknown };
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    throw new HttpError(400, `stream: a text message must be JSON ({"type":"start",...} or {"type":"end"}), got ${JSON.stringify(text.slice(0, 60))}`);
  }
  if (m?.type === 'end') return live.end();
  if (m?.type === 'start') return live.configure(streamFormat(m.rate, m.encoding));
  throw new HttpError(400, `stream: unknown message type ${JSON.stringify(m?.type)} (expected "start" or "end")`);
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
