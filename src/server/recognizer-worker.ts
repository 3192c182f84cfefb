/**
 * A recogniser thread of `sayre serve`: loads the model once, then transcribes the jobs
 * the main thread posts, so that a long transcription never blocks the HTTP loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRecognizer, type RecognizerSetup } from './recognizer-setup.js';
import { decodeUtterance } from '../recognizer/transcription-json.js';

/** Main thread -> worker. */
export interface JobMessage {
  id: number;
  samples: Float32Array;
  sampleRate: number;
}

/** Worker -> main thread. */
export type WorkerReply =
  | { type: 'ready'; model: string; decoder: 'greedy' | 'beam'; backend: string }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; result: import('../recognizer/transcription-json.js').TranscriptionJson }
  | { type: 'error'; id: number; message: string };

const port = parentPort!;
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

try {
  const { rec, name, decoder } = loadRecognizer(workerData as RecognizerSetup);
  port.on('message', (job: JobMessage) => {
    try {
      const { result } = decodeUtterance(rec, job.samples, job.sampleRate, name, decoder);
      port.postMessage({ type: 'done', id: job.id, result } satisfies WorkerReply);
    } catch (err) {
      port.postMessage({ type: 'error', id: job.id, message: message(err) } satisfies WorkerReply);
    }
  });
  port.postMessage({ type: 'ready', model: name, decoder: decoder.search, backend: `${rec.loaded.model.backend.name} x${rec.loaded.model.backend.threads}` } satisfies WorkerReply);
} catch (err) {
  port.postMessage({ type: 'failed', message: message(err) } satisfies WorkerReply);
}
