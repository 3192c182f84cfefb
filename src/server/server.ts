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
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundledModelDir } from '../recognizer/default-model.js';
import type { Engine } from './engine.js';
import { HttpError } from './http-error.js';
import { discardRest, readBody } from './read-body.js';
import { staticAsset } from './static-files.js';
import { PcmStream } from './pcm-stream.js';
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
}

const DEFAULTS = {
  port: 8080, host: '127.0.0.1', maxBodyBytes: 16 << 20, maxSeconds: 60, timeoutMs: 30000, maxQueue: 8, partialSeconds: 1, isolate: true,
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
  /** Stops accepting, refuses the waiting jobs, stops the recogniser threads. */
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
  for (const k of ['maxBodyBytes', 'maxSeconds', 'timeoutMs', 'partialSeconds'] as const) {
    if (!(o[k] > 0)) throw new Error(`serve: ${k} must be a positive number, got ${o[k]}`);
  }
  const modelDir = o.modelDir ?? bundledModelDir();
  const queue = new WorkQueue(engine, o.maxQueue, o.timeoutMs);
  const started = Date.now();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/transcribe' || path === '/transcribe/stream') {
      if (req.method !== 'POST') throw new HttpError(405, `${path} takes POST`, { Allow: 'POST' });
      if (path === '/transcribe') {
        const audio = await decodeUpload(await readBody(req, o.maxBodyBytes), o.maxSeconds);
        const result = await queue.submit({ samples: audio.samples, sampleRate: audio.sampleRate });
        return sendJson(res, 200, result);
      }
      return streamTranscription(req, res, url, queue, o);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${path} takes GET`, { Allow: 'GET, HEAD' });
    if (path === '/health') {
      return sendJson(res, 200, { status: 'ok', model: engine.model, decoder: engine.decoder, backend: engine.backend, queue: queue.stats(), uptime: Math.round((Date.now() - started) / 1000) }, { 'Cache-Control': 'no-store' });
    }
    const asset = await staticAsset(path, modelDir);
    if (!asset) throw new HttpError(404, `not found: ${path}`);
    send(res, 200, req.method === 'HEAD' ? '' : asset.body, asset.type, { 'Cache-Control': 'no-cache' });
  };

  const dropCap = Math.max(4 * o.maxBodyBytes, 1 << 20);
  const common = o.isolate ? { ...ISOLATION_HEADERS, ...NO_SNIFF } : NO_SNIFF;
  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(common)) res.setHeader(k, v);
    handle(req, res).catch((err: unknown) => {
      sendError(res, err);
      discardRest(req, dropCap);
    });
  });
  server.requestTimeout = o.timeoutMs + 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server, queue, url: `http://${host}:${addr.port}`,
    close: async () => {
      queue.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
    },
  };
}

/**
 * POST /transcribe/stream: raw s16le mono PCM arrives in chunks; every `partialSeconds`
 * of new audio, if a recogniser is idle, the audio so far is transcribed again and sent
 * as a partial line (the bidirectional models must see the whole utterance, so a partial
 * is a re-decode, not an incremental step). The last line is the final result, or an error.
 */
async function streamTranscription(req: IncomingMessage, res: ServerResponse, url: URL, queue: WorkQueue, o: typeof DEFAULTS): Promise<void> {
  const rate = Number(url.searchParams.get('rate') ?? /rate=(\d+)/.exec(String(req.headers['content-type'] ?? ''))?.[1] ?? 16000);
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384000) throw new HttpError(400, `rate must be an integer sample rate in Hz (1000 to 384000), got ${url.searchParams.get('rate')}`);
  const stream = new PcmStream(rate, o.maxSeconds);
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
  const line = (value: unknown): void => void res.write(JSON.stringify(value) + '\n');
  let partialBusy = false;
  let nextPartial = o.partialSeconds;
  let failed = false;
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    const e = err instanceof HttpError ? err : new HttpError(400, err instanceof Error ? err.message : String(err));
    line({ final: true, error: e.message, status: e.status });
    res.end();
    discardRest(req, Math.max(4 * o.maxBodyBytes, 1 << 20));
  };
  await new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        stream.push(chunk);
      } catch (err) {
        fail(err);
        return resolve();
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
      if (failed) return resolve();
      if (stream.seconds === 0) {
        fail(new HttpError(400, 'empty stream: send 16-bit little-endian mono PCM as the request body'));
        return resolve();
      }
      queue.submit({ samples: stream.samples(), sampleRate: rate }).then((r) => {
        line({ final: true, ...r });
        res.end();
      }, fail).finally(resolve);
    });
    req.on('error', (err) => { fail(err); resolve(); });
  });
}
