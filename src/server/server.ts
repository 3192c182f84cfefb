/**
 * `sayre serve`: the demo page and a transcription API over node:http.
 *
 *   GET  /                    the demo page (client-side recognition, see web/)
 *   GET  /health              {status, model, decoder, queue, uptime}
 *   POST /transcribe          body: an audio file (WAV, MP3, FLAC, Ogg, WebM/Opus) -> {text, words, confidence, duration, model, decoder}
 *   POST /transcribe/stream   body: raw PCM sent as it is recorded (?rate=16000&encoding=s16le|f32le)
 *                             -> NDJSON events: partial, final (each endpoint, and the last line), error
 *   GET  /transcribe/stream   with Upgrade: websocket: the same stream over a WebSocket (ws-stream.ts)
 *
 * Every response carries COOP/COEP headers so that the page is cross-origin isolated
 * (SharedArrayBuffer, hence WASM threads, where the browser allows them).
 *
 * Streams run on the stream engine (recogniser threads that hold each stream's state and
 * decode the streams in batches; see live-stream.ts for one stream's life).
 *
 * Under load (docs/limits.md): past `maxConnections` open connections or `maxStreams`
 * open streams (both transports together) a request gets 503 with Retry-After; an upload
 * must arrive, and its answer be ready, within `timeoutMs`; a stream lasts at most
 * `maxStreamSeconds` of audio plus `timeoutMs`, and may not stall for `timeoutMs`; a cut
 * stream ends with an error event and a final event saying why. A Host header that does
 * not name the server gets 421, a WebSocket from another origin 403. close() (SIGTERM)
 * answers queued requests 503 "server shutting down", lets running work and streams finish
 * within `graceMs`, then cuts what is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { bundledModelDir } from '../recognizer/default-model.js';
import type { Engine } from './engine.js';
import { HttpError } from './http-error.js';
import { hostChecker, originChecker } from './host-check.js';
import { discardRest, readBody } from './read-body.js';
import { staticAsset } from './static-files.js';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { serveHttpStream } from './http-stream.js';
import type { LiveStream, LiveStreamLimits } from './live-stream.js';
import type { PcmFormat } from './pcm-decoder.js';
import type { StreamEngine } from './stream-engine.js';
import { requestFormat } from './stream-format.js';
import { refuseUpgrade, serveWsStream, webSocketServer } from './ws-stream.js';
import { decodeUpload } from './audio-upload.js';
import { WorkQueue } from './work-queue.js';

/** Limits and settings of the service; every field has a default. */
export interface ServeOptions {
  /** Port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Address to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Model directory served as /model/ to the page. Default the bundled model. */
  modelDir?: string;
  /**
   * The stream recogniser's model directory, served as /stream-model/ to the page for its
   * live captions where it is not `modelDir` (/health's streamModel.url says which).
   */
  streamModelDir?: string;
  /** Largest request body in bytes. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Longest audio in seconds. Default 60. */
  maxSeconds?: number;
  /** Milliseconds from a request's arrival to its answer before it is given up (504). Default 30000. */
  timeoutMs?: number;
  /** Transcriptions that may wait for a free recogniser before new ones get 503. Default 8. */
  maxQueue?: number;
  /** Longest audio of one stream, in seconds. Default 3600. */
  maxStreamSeconds?: number;
  /**
   * Seconds of a stream's audio received and not yet taken in by the recogniser at which
   * the server stops reading that stream (resuming at half): what bounds a stream's memory
   * when it is sent faster than real time or the recognisers fall behind. Default 5.
   */
  maxStreamLagSeconds?: number;
  /** Send the COOP/COEP headers that make the page cross-origin isolated (WASM threads in the browser). Default true. */
  isolate?: boolean;
  /** Open connections; a request on one beyond them gets 503. Default 64. */
  maxConnections?: number;
  /** Open streams (chunked POSTs and WebSockets together); one beyond them gets 503. Default 4. */
  maxStreams?: number;
  /** Milliseconds that close() lets running work finish before cutting it. Default 10000. */
  graceMs?: number;
  /**
   * Host names accepted besides addresses and `localhost` ('*': any). A loopback
   * listener accepts localhost, 127.0.0.1 and [::1]; any other name gets 421. Default none.
   */
  allowedHosts?: string[];
}

const DEFAULTS = {
  port: 8080, host: '127.0.0.1', maxBodyBytes: 16 << 20, maxSeconds: 60, timeoutMs: 30000, maxQueue: 8, maxStreamSeconds: 3600, maxStreamLagSeconds: 5, isolate: true,
  maxConnections: 64, maxStreams: 4, graceMs: 10000, allowedHosts: [] as string[],
};

/** Headers on every response: cross-origin isolation, and no MIME sniffing. */
const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' };

/** A running server. */
export interface SayreServer {
  server: Server;
  queue: WorkQueue;
  /** The base URL it listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  /**
   * Stops accepting; answers waiting jobs and new requests 503 "server shutting down";
   * lets running work finish within graceMs, then cuts the rest (streams get a final
   * line); stops the recogniser threads.
   */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value) + '\n', 'application/json', headers);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message, status: err.status }, err.headers);
  sendJson(res, 500, { error: `internal error: ${err instanceof Error ? err.message : String(err)}`, status: 500 });
}

/**
 * Starts the server on an engine for uploads (recogniser threads, see WorkerEngine) and
 * one for live streams (see StreamWorkerEngine); without a stream engine the stream
 * endpoints answer 501.
 */
export async function startServer(engine: Engine, options: ServeOptions = {}, streamEngine?: StreamEngine): Promise<SayreServer> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & ServeOptions;
  for (const k of ['maxBodyBytes', 'maxSeconds', 'timeoutMs', 'maxStreamSeconds', 'maxStreamLagSeconds', 'maxConnections', 'maxStreams'] as const) {
    if (!(o[k] > 0)) throw new Error(`serve: ${k} must be a positive number, got ${o[k]}`);
  }
  if (!(o.graceMs >= 0)) throw new Error(`serve: graceMs must be a number >= 0, got ${o.graceMs}`);
  const modelDir = o.modelDir ?? bundledModelDir();
  const streamModelDir = o.streamModelDir !== undefined && resolve(o.streamModelDir) !== resolve(modelDir) ? o.streamModelDir : undefined;
  const queue = new WorkQueue(engine, o.maxQueue, o.timeoutMs);
  const started = Date.now();
  const checkHost = hostChecker(o.host, o.allowedHosts);
  const checkOrigin = originChecker(o.allowedHosts);
  const streamLimits: LiveStreamLimits = { maxStreamSeconds: o.maxStreamSeconds, timeoutMs: o.timeoutMs, maxLagSeconds: o.maxStreamLagSeconds };
  const busy = (what: string): HttpError => new HttpError(503, `server busy: ${what}; retry later`, { 'Retry-After': String(queue.retryAfterSeconds()), Connection: 'close' });
  let connections = 0;
  let streams = 0;
  let shuttingDown = false;
  /** Streams in progress (close() cuts those left after the grace period). */
  const lives = new Set<LiveStream>();
  const track = (live: LiveStream): void => {
    streams++;
    lives.add(live);
    void live.done.then(() => {
      streams--;
      lives.delete(live);
      if (open.size === 0 && lives.size === 0) allDone?.();
    });
  };
  /** The checks of a new stream on either transport: its format (400) and the stream limit (503). */
  const admitStream = (req: IncomingMessage, url: URL): { engine: StreamEngine; format: PcmFormat } => {
    if (!streamEngine) throw new HttpError(501, 'this server was started without a stream recogniser: streams are not served');
    const format = requestFormat(url, req.headers['content-type']);
    if (streams >= o.maxStreams) throw busy(`${streams} streams open, ${o.maxStreams} allowed (--max-streams)`);
    return { engine: streamEngine, format };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrival = Date.now();
    if (shuttingDown) throw new HttpError(503, 'server shutting down', { Connection: 'close' });
    checkHost(req.headers.host);
    if (connections > o.maxConnections) throw busy(`${connections} connections open, ${o.maxConnections} allowed (--max-connections)`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/transcribe' || path === '/transcribe/stream') {
      if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST${path === '/transcribe/stream' ? ' (or a WebSocket upgrade)' : ''}`, { Allow: 'POST' });
      if (path === '/transcribe') {
        const audio = await decodeUpload(await readBody(req, o.maxBodyBytes, o.timeoutMs), o.maxSeconds);
        const result = await queue.submit({ samples: audio.samples, sampleRate: audio.sampleRate }, o.timeoutMs - (Date.now() - arrival));
        return sendJson(res, 200, result);
      }
      const { engine: se, format } = admitStream(req, url);
      return await serveHttpStream(req, res, se, format, streamLimits, track);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${path} takes GET`, { Allow: 'GET, HEAD' });
    if (path === '/health') {
      return sendJson(res, 200, {
        status: 'ok', model: engine.model, decoder: engine.decoder, backend: engine.backend, queue: queue.stats(), connections, streams,
        ...(streamEngine ? { streamModel: { model: streamEngine.model, streaming: streamEngine.streaming, url: streamModelDir ? '/stream-model/' : '/model/' } } : {}),
        uptime: Math.round((Date.now() - started) / 1000),
      }, { 'Cache-Control': 'no-store' });
    }
    const asset = await staticAsset(path, modelDir, streamModelDir);
    if (!asset) throw new HttpError(404, `not found: ${path}`);
    send(res, 200, req.method === 'HEAD' ? '' : asset.body, asset.type, { 'Cache-Control': 'no-cache' });
  };

  const dropCap = Math.max(4 * o.maxBodyBytes, 1 << 20);
  const common = o.isolate ? { ...ISOLATION_HEADERS, ...NO_SNIFF } : NO_SNIFF;
  /** Responses not yet finished (close() waits for them). */
  const open = new Set<ServerResponse>();
  let allDone: (() => void) | undefined;
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(common)) res.setHeader(k, v);
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      if (open.size === 0 && lives.size === 0) allDone?.();
    });
    handle(req, res).catch((err: unknown) => {
      sendError(res, err);
      // A client too slow to send its upload does not keep its connection.
      if (err instanceof HttpError && err.status === 408) res.once('finish', () => req.destroy());
      else discardRest(req, dropCap);
    });
  });
  const wss = webSocketServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => { /* a client that vanished mid-handshake */ });
    try {
      if (shuttingDown) throw new HttpError(503, 'server shutting down');
      checkHost(req.headers.host);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/transcribe/stream') throw new HttpError(404, `no WebSocket endpoint at ${url.pathname} (streams: /transcribe/stream)`);
      if (String(req.headers.upgrade).toLowerCase() !== 'websocket') throw new HttpError(400, `cannot upgrade to ${JSON.stringify(req.headers.upgrade)}: only websocket`);
      checkOrigin(req.headers.origin, req.headers.host);
      if (connections > o.maxConnections) throw busy(`${connections} connections open, ${o.maxConnections} allowed (--max-connections)`);
      const { engine: se, format } = admitStream(req, url);
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        void serveWsStream(ws, se, format, streamLimits, track).then(() => sockets.delete(ws));
      });
    } catch (err) {
      refuseUpgrade(socket, err);
    }
  });
  /** Open WebSockets (close() ends those whose client does not answer the close). */
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket) => {
    connections++;
    socket.once('close', () => { connections--; });
  });
  // Beyond twice the limit, connections are dropped unanswered (they cost a socket each).
  server.maxConnections = 2 * o.maxConnections;
  server.headersTimeout = Math.min(o.timeoutMs, 60000);
  // A backstop: a stream may last maxStreamSeconds of audio plus the timeout (LiveStream cuts it first).
  server.requestTimeout = o.maxStreamSeconds * 1000 + o.timeoutMs + 10000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    server, queue, url: `http://${host}:${addr.port}`,
    close: () => closing ??= (async () => {
      shuttingDown = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      queue.drain();
      if (open.size > 0 || lives.size > 0) {
        await new Promise<void>((resolve) => {
          allDone = resolve;
          setTimeout(resolve, o.graceMs).unref();
        });
      }
      const late = new HttpError(503, `server shutting down: the work was cut after the ${o.graceMs} ms grace period`);
      for (const live of lives) live.cut(late);
      for (const res of open) if (!res.headersSent) sendError(res, late);
      queue.drain();
      // The cut streams' finals come from the stream engine (LiveStream bounds the wait).
      await Promise.all([...lives].map((l) => l.done));
      await new Promise((r) => setImmediate(r));
      server.closeAllConnections();
      for (const ws of sockets) ws.terminate();
      await stopped;
      await Promise.all([engine.close(), streamEngine?.close()]);
    })(),
  };
}
