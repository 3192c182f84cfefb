/**
 * The live-stream thread of `sayre serve`: loads the model once and holds every stream
 * given to it in a StreamScheduler, which decodes them in batches; the HTTP and WebSocket
 * handling stays on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRecognizer, type RecognizerSetup } from './recognizer-setup.js';
import { StreamScheduler, type StreamUpdate } from './stream-scheduler.js';

/** Main thread -> stream thread. */
export type StreamCommand =
  | { type: 'open'; id: number; rate: number }
  | { type: 'audio'; id: number; samples: Float32Array }
  | { type: 'end'; id: number; reason?: string }
  | { type: 'drop'; id: number };

/** Stream thread -> main thread. */
export type StreamReply =
  | { type: 'ready'; model: string; streaming: boolean; backend: string }
  | { type: 'failed'; message: string }
  | { type: 'updates'; updates: StreamUpdate[] };

const port = parentPort!;

try {
  const { rec, name, decoder } = loadRecognizer(workerData as RecognizerSetup);
  const scheduler = new StreamScheduler(rec, decoder ? { decoder } : {}, (updates) => port.postMessage({ type: 'updates', updates } satisfies StreamReply));
  port.on('message', (c: StreamCommand) => {
    if (c.type === 'open') scheduler.open(c.id, c.rate);
    else if (c.type === 'audio') scheduler.push(c.id, c.samples);
    else if (c.type === 'end') scheduler.end(c.id, c.reason);
    else scheduler.drop(c.id);
  });
  const backend = rec.loaded.model.backend;
  port.postMessage({ type: 'ready', model: name, streaming: rec.loaded.model.streaming, backend: `${backend.name} x${backend.threads}` } satisfies StreamReply);
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies StreamReply);
}
