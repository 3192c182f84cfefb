/** Messages between the demo page and its recogniser worker (src/web/recognizer-worker.ts). */
import type { TranscriptionJson } from '../recognizer/transcription-json.js';

/** Page -> worker. */
export type ToWorker =
  | { type: 'load'; modelUrl: string; name?: string }
  /** A WAV file's bytes, or samples the page decoded itself (recordings, other formats). */
  | { type: 'transcribe'; id: number; name: string; bytes?: Uint8Array; samples?: Float32Array; sampleRate?: number };

/** Worker -> page. */
export type FromWorker =
  | { type: 'ready'; name: string; simd: string; threads: number; isolated: boolean }
  | { type: 'failed'; message: string }
  | {
    type: 'done'; id: number; result: TranscriptionJson; milliseconds: number;
    /** Unnormalised scores [frames, classes] and what the matrix drawing needs. */
    logits: Float32Array; frames: number; classes: number; labels: string[]; secondsPerFrame: number;
  }
  | { type: 'error'; id: number; message: string };
