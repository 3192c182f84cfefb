import type { Command } from 'commander';
import { isLineModelDir } from '../../model/io/line-model-dir.js';
import { defaultStreamingModelDir, resolveModelDir } from '../../recognizer/default-model.js';
import { startServer } from '../../server/server.js';
import { StreamWorkerEngine } from '../../server/stream-worker-engine.js';
import { WorkerEngine } from '../../server/worker-engine.js';

interface ServeFlags {
  port: string; host: string; model?: string; streamModel?: string; lm?: string | false; alpha?: string; beta?: string; labelBonus?: string; beamWidth?: string;
  workers: string; maxQueue: string; maxBodyBytes: string; maxSeconds: string; timeout: string; isolation: boolean;
  maxConnections: string; maxStreams: string; maxStreamSeconds: string; maxStreamLag: string; streamThreads: string; grace: string; allowedHosts?: string;
}

/** A numeric flag within [min, max]: sane upper bounds, so that a typo cannot ask for a million threads. */
function number(value: string | undefined, flag: string, min = -Infinity, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${flag}: expected a number, got ${JSON.stringify(value)}`);
  if (n < min || n > max) throw new Error(`${flag}: ${n} is outside ${min}..${max}`);
  return n;
}

/** The directory a --model or --stream-model names; a text-line model is refused, saying why. */
function speechModelDir(flag: string, name: string): string {
  const dir = resolveModelDir(name);
  if (isLineModelDir(dir)) throw new Error(`${flag} ${name}: a text-line model; sayre serve transcribes speech (english, english-streaming)`);
  return dir;
}

/** `sayre serve`: the demo page, POST /transcribe and live streams (see src/server/server.ts). */
export function registerServe(program: Command): void {
  program.command('serve')
    .description('serve the demo page and a transcription API (POST /transcribe with an audio file; /transcribe/stream: live PCM over a chunked POST or a WebSocket; GET /health)')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--host <addr>', 'address to bind (default loopback only)', '127.0.0.1')
    .option('--model <dir|name>', 'model directory or bundled model name, CTC or RNN-T (default: english)')
    .option('--stream-model <dir|name>', 'the model of the live streams (default: --model if given, else english-streaming where it is installed, else english)')
    .option('--lm <file>', 'ARPA word or character LM (optionally gzipped): decode by beam search with it (default: the model directory\'s own LM if it has one, else best path / greedy)')
    .option('--no-lm', 'no language model, not even the model directory\'s own: best path / greedy unless --beam-width asks for a beam search')
    .option('--alpha <x>', 'LM weight (with --lm, or the model directory\'s LM)')
    .option('--beta <x>', 'word insertion bonus (with --lm, or the model directory\'s LM)')
    .option('--label-bonus <x>', 'CTC: bonus per output label (with --lm, or the model directory\'s LM)')
    .option('--beam-width <n>', 'beam width (alone: beam search without an LM)')
    .option('--workers <n>', 'recogniser threads, each with its own copy of the model', '1')
    .option('--max-queue <n>', 'transcriptions that may wait before new ones get 503', '8')
    .option('--max-body-bytes <n>', 'largest upload in bytes', String(16 << 20))
    .option('--max-seconds <s>', 'longest audio in seconds', '60')
    .option('--timeout <ms>', 'per-request time limit in milliseconds (queueing included)', '30000')
    .option('--max-connections <n>', 'open connections; requests on more get 503', '64')
    .option('--max-streams <n>', 'open live streams (chunked POSTs and WebSockets together); more get 503', '4')
    .option('--max-stream-seconds <s>', 'longest audio of one live stream in seconds', '3600')
    .option('--max-stream-lag <s>', 'seconds of a stream\'s audio received but not yet decoded at which the server stops reading it until it catches up', '5')
    .option('--stream-threads <n>', 'live-stream threads, each with its own copy of the model, decoding its streams in batches', '1')
    .option('--grace <ms>', 'on SIGTERM, time for running work to finish before it is cut', '10000')
    .option('--allowed-hosts <names>', 'comma-separated Host names accepted besides localhost and IP addresses (* for any)')
    .option('--no-isolation', 'leave out the COOP/COEP headers (the page then runs on one thread)')
    .action(async (f: ServeFlags) => {
      const modelDir = f.model === undefined ? undefined : speechModelDir('--model', f.model);
      const streamModelDir = f.streamModel !== undefined ? speechModelDir('--stream-model', f.streamModel) : modelDir ?? defaultStreamingModelDir();
      const setup = {
        modelDir, lm: f.lm, alpha: number(f.alpha, '--alpha'), beta: number(f.beta, '--beta'), labelBonus: number(f.labelBonus, '--label-bonus'), beamWidth: number(f.beamWidth, '--beam-width', 1, 4096),
      };
      const started = await Promise.allSettled([
        WorkerEngine.create(setup, number(f.workers, '--workers', 1, 256)),
        StreamWorkerEngine.create({ ...setup, modelDir: streamModelDir }, number(f.streamThreads, '--stream-threads', 1, 256)),
      ] as const);
      const [uploads, live] = started;
      if (uploads.status === 'rejected' || live.status === 'rejected') {
        // Stop the threads that did start, so that nothing keeps the process alive.
        await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
        throw (uploads.status === 'rejected' ? uploads : live as PromiseRejectedResult).reason;
      }
      const engine = uploads.value, streams = live.value;
      const s = await startServer(engine, {
        port: number(f.port, '--port', 0, 65535), host: f.host, modelDir, streamModelDir, maxQueue: number(f.maxQueue, '--max-queue', 0, 100_000),
        maxBodyBytes: number(f.maxBodyBytes, '--max-body-bytes', 1, 2 ** 32 - 1), maxSeconds: number(f.maxSeconds, '--max-seconds', 0.001, 10 * 3600),
        timeoutMs: number(f.timeout, '--timeout', 1, 24 * 3600 * 1000), isolate: f.isolation,
        maxConnections: number(f.maxConnections, '--max-connections', 1, 100_000), maxStreams: number(f.maxStreams, '--max-streams', 1, 10_000),
        maxStreamSeconds: number(f.maxStreamSeconds, '--max-stream-seconds', 0.001, 7 * 24 * 3600), maxStreamLagSeconds: number(f.maxStreamLag, '--max-stream-lag', 0.2, 3600),
        graceMs: number(f.grace, '--grace', 0, 3600 * 1000), allowedHosts: f.allowedHosts?.split(',').map((h) => h.trim()).filter(Boolean),
      }, streams);
      console.log(`sayre serve: ${s.url}/ (model ${engine.model}, ${engine.slots} recogniser thread(s) on the ${engine.backend} backend, ${engine.decoder} decoding;`
        + ` live streams with model ${streams.model}, ${streams.streaming ? 'streamed with the encoder state carried' : 're-decoded per utterance (a bidirectional model)'} on ${number(f.streamThreads, '--stream-threads')} thread(s))`);
      const stop = (): void => { void s.close().then(() => process.exit(0)); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
