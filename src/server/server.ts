/**
 * `sayre serve`: the demo page and a transcription API over node:http.
 *
 *   GET  /                    the demo page (client-side recognition, see web/)
 *   GET  /health              {status, model, decoder, queue, uptime}
 *   POST /transcribe          body: an audio file (WAV, MP3, FLAC, Ogg, WebM/Opus) -> {text, words, confidence, duration, model, decoder}
 *   POST /transcribe/stream   body: raw 16-bit little-endian mono PCM, sent as it is recorded
 *                             (?rate=16000) -> NDJSON lines: partial results, then {final: true, ...}
 *
 * Every response carries COOP/COEP headers so that the page is cross-origin isolated
 * (SharedArrayBuffer, hence WASM threads, where the browser allows them).
 *
 * Under load (docs/limits.md): past `maxConnections` open connections or `maxStreams`
 * open streams a request gets 503 with Retry-After; an upload must arrive, and its answer
 * be ready, within `timeoutMs`; a stream lasts at most `maxSeconds` of audio plus
 * `timeoutMs`, and may not stall for `timeoutMs`; a cut stream ends with a final NDJSON
 * line saying why. A Host header that does not name the server gets 421. close() (SIGTERM)
 * answers queued requests 503 "server shutting down", lets running work finish within
 * `graceMs`, then cuts what is left.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledModelDir } from '../recognizer/default-model.js';
import type { Engine } from './engine.js';
import { HttpError } from './http-error.js';
import { hostChecker } from './host-check.js';
import { discardRest, readBody } from './read-body.js';
import { staticAsset } from './static-files.js';
import { PcmStream } from './pcm-stream.js';
import { decodeUpload } from './audio-upload.js';
import { WorkQueue } from './work-queue.js';
import { limits } from '../util/limits.js';

/** Limits and settings of the service; every field has a default. */
export interface ServeOptions {
  /** Port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Address to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Model directory served as /model/ to the page. Default the bundled model. */
  modelDir?: string;
  /** Largest request body in bytes. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Longest audio in seconds. Default 60. */
  maxSeconds?: number;
  /** Milliseconds from a request's arrival to its answer before it is given up (504). Default 30000. */
  timeoutMs?: number;
  /** Transcriptions that may wait for a free recogniser before new ones get 503. Default 8. */
  maxQueue?: number;
  /** Streaming: seconds of new audio between partial results. Default 1. */
  partialSeconds?: number;
  /** Send the COOP/COEP headers that make the page cross-origin isolated (WASM threads in the browser). Default true. */
  isolate?: boolean;
  /** Open connections; a request on one beyond them gets 503. Default 64. */
  maxConnections?: number;
  /** Open streams (every kind of streaming request); one beyond them gets 503. Default 4. */
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
  port: 8080, host: '127.0.0.1', maxBodyBytes: 16 << 20, maxSeconds: 60, timeoutMs: 30000, maxQueue: 8, partialSeconds: 1, isolate: true,
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

/** Starts the server on an engine (recogniser threads, see WorkerEngine). */
export async function startServer(engine: Engine, options: ServeOptions = {}): Promise<SayreServer> {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & ServeOptions;
  for (const k of ['maxBodyBytes', 'maxSeconds', 'timeoutMs', 'partialSeconds', 'maxConnections', 'maxStreams'] as const) {
    if (!(o[k] > 0)) throw new Error(`serve: ${k} must be a positive number, got ${o[k]}`);
  }
  if (!(o.graceMs >= 0)) throw new Error(`serve: graceMs must be a number >= 0, got ${o.graceMs}`);
  const modelDir = o.modelDir ?? bundledModelDir();
  const queue = new WorkQueue(engine, o.maxQueue, o.timeoutMs);
  const started = Date.now();
  const checkHost = hostChecker(o.host, o.allowedHosts);
  const busy = (what: string): HttpError => new HttpError(503, `server busy: ${what}; retry later`, { 'Retry-After': String(queue.retryAfterSeconds()), Connection: 'close' });
  let connections = 0;
  let streams = 0;
  let shuttingDown = false;
  /** Streams in progress, each with a way to end it early with a final line. */
  const cutters = new Set<(err: HttpError) => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrival = Date.now();
    if (shuttingDown) throw new HttpError(503, 'server shutting down', { Connection: 'close' });
    checkHost(req.headers.host);
    if (connections > o.maxConnections) throw busy(`${connections} connections open, ${o.maxConnections} allowed (--max-connections)`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/transcribe' || path === '/transcribe/stream') {
      if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`, { Allow: 'POST' });
      if (path === '/transcribe') {
        const audio = await decodeUpload(await readBody(req, o.maxBodyBytes, o.timeoutMs), o.maxSeconds);
        const result = await queue.submit({ samples: audio.samples, sampleRate: audio.sampleRate }, o.timeoutMs - (Date.now() - arrival));
        return sendJson(res, 200, result);
      }
      if (streams >= o.maxStreams) throw busy(`${streams} streams open, ${o.maxStreams} allowed (--max-streams)`);
      streams++;
      try {
        return await streamTranscription(req, res, url, queue, o, cutters);
      } finally {
        streams--;
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${path} takes GET`, { Allow: 'GET, HEAD' });
    if (path === '/health') {
      return sendJson(res, 200, {
        status: 'ok', model: engine.model, decoder: engine.decoder, backend: engine.backend, queue: queue.stats(), connections, streams,
        uptime: Math.round((Date.now() - started) / 1000),
      }, { 'Cache-Control': 'no-store' });
    }
    const asset = await staticAsset(path, modelDir);
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
      if (open.size === 0) allDone?.();
    });
    handle(req, res).catch((err: unknown) => {
      sendError(res, err);
      // A client too slow to send its upload does not keep its connection.
      if (err instanceof HttpError && err.status === 408) res.once('finish', () => req.destroy());
      else discardRest(req, dropCap);
    });
  });
  server.on('connection', (socket) => {
    connections++;
    socket.once('close', () => { connections--; });
  });
  // Beyond twice the limit, connections are dropped unanswered (they cost a socket each).
  server.maxConnections = 2 * o.maxConnections;
  server.headersTimeout = Math.min(o.timeoutMs, 60000);
  // A backstop: a stream may last maxSeconds of audio plus the timeout (streamTranscription cuts it first).
  server.requestTimeout = o.maxSeconds * 1000 + o.timeoutMs + 5000;
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
      if (open.size > 0) {
        await new Promise<void>((resolve) => {
          allDone = resolve;
          setTimeout(resolve, o.graceMs).unref();
        });
      }
      const late = new HttpError(503, `server shutting down: the work was cut after the ${o.graceMs} ms grace period`);
      for (const cut of cutters) cut(late);
      for (const res of open) if (!res.headersSent) sendError(res, late);
      queue.drain();
      await new Promise((r) => setImmediate(r));
      server.closeAllConnections();
      await stopped;
      await engine.close();
    })(),
  };
}

/**
 * POST /transcribe/stream: raw s16le mono PCM arrives in chunks; every `partialSeconds`
 * of new audio, if a recogniser is idle, the audio so far is transcribed again and sent
 * as a partial line (the bidirectional models must see the whole utterance, so a partial
 * is a re-decode, not an incremental step). The last line is the final result, or an error.
 */
async function streamTranscription(
  req: IncomingMessage, res: ServerResponse, url: URL, queue: WorkQueue, o: typeof DEFAULTS, cutters: Set<(err: HttpError) => void>,
): Promise<void> {
  const arrival = Date.now();
  const rate = Number(url.searchParams.get('rate') ?? /rate=(\d+)/.exec(String(req.headers['content-type'] ?? ''))?.[1] ?? 16000);
  const { minSampleRate: lo, maxSampleRate: hi } = limits();
  if (!Number.isInteger(rate) || rate < lo || rate > hi) throw new HttpError(400, `rate must be an integer sample rate in Hz (${lo} to ${hi}), got ${url.searchParams.get('rate')}`);
  const stream = new PcmStream(rate, o.maxSeconds);
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
  res.flushHeaders(); // the client learns at once that its stream was accepted (not refused with 503)
  const line = (value: unknown): void => void res.write(JSON.stringify(value) + '\n');
  let partialBusy = false;
  let nextPartial = o.partialSeconds;
  let failed = false;
  // The whole stream: its longest audio sent in real time, plus the time to answer; and no stall longer than the timeout.
  const lifetimeMs = o.maxSeconds * 1000 + o.timeoutMs;
  const remaining = (): number => lifetimeMs - (Date.now() - arrival);
  let done: () => void = () => {};
  const fail = (err: unknown, drop = false): void => {
    if (failed) return;
    failed = true;
    clearTimeout(lifetime);
    clearTimeout(idle);
    cutters.delete(cut);
    const e = err instanceof HttpError ? err : new HttpError(400, err instanceof Error ? err.message : String(err));
    line({ final: true, error: e.message, status: e.status });
    res.end();
    // A cut stream's client may still be sending: its connection goes, not its bytes.
    if (drop) res.once('finish', () => req.destroy());
    else discardRest(req, Math.max(4 * o.maxBodyBytes, 1 << 20));
    done();
  };
  const cut = (err: HttpError): void => fail(err, true);
  cutters.add(cut);
  const lifetime = setTimeout(() => cut(new HttpError(408, `the stream was cut: it lasted more than ${lifetimeMs} ms (--max-seconds plus --timeout)`)), lifetimeMs);
  let idle = setTimeout(() => {}, 0);
  const stalled = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => cut(new HttpError(408, `the stream was cut: no audio arrived for ${o.timeoutMs} ms (--timeout)`)), o.timeoutMs);
  };
  stalled();
  await new Promise<void>((resolve) => {
    done = resolve;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      stalled();
      try {
        stream.push(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (stream.seconds >= nextPartial && !partialBusy && queue.idle) {
        nextPartial = stream.seconds + o.partialSeconds;
        partialBusy = true;
        queue.submit({ samples: stream.samples(), sampleRate: rate }).then(
          (r) => { if (!failed && !res.writableEnded) line({ final: false, ...r }); },
          () => { /* a partial that could not run is simply skipped */ },
        ).finally(() => { partialBusy = false; });
      }
    });
    req.on('end', () => {
      if (failed) return;
      clearTimeout(idle);
      if (stream.seconds === 0) return fail(new HttpError(400, 'empty stream: send 16-bit little-endian mono PCM as the request body'));
      queue.submit({ samples: stream.samples(), sampleRate: rate }, Math.min(o.timeoutMs, remaining())).then((r) => {
        if (failed) return;
        failed = true;
        clearTimeout(lifetime);
        cutters.delete(cut);
        line({ final: true, ...r });
        res.end();
        resolve();
      }, fail);
    });
    req.on('error', (err) => fail(err));
    // The client went away: nothing more to answer.
    res.once('close', () => { if (!failed) fail(new HttpError(400, 'the client closed the stream'), true); });
  });
}
