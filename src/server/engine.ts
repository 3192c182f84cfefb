/** What runs transcriptions for the server: a pool of recogniser threads, or a stand-in in tests. */
import type { TranscriptionJson } from '../recognizer/transcription-json.js';

/** One utterance to transcribe. */
export interface TranscribeJob {
  /** Mono samples in [-1, 1); an engine may transfer their buffer to another thread, emptying this array. */
  samples: Float32Array;
  sampleRate: number;
}

/** A started job: its result, and a way to stop it (its result then rejects). */
export interface RunningJob {
  result: Promise<TranscriptionJson>;
  cancel(): void;
}

/** Runs up to `slots` jobs at once. */
export interface Engine {
  /** Jobs that may run at the same time. */
  readonly slots: number;
  /** The model's name, as the results carry it. */
  readonly model: string;
  /** Whether results come from beam search with a language model. */
  readonly decoder: 'greedy' | 'beam';
  /** The compute backend, where known (for /health). */
  readonly backend?: string;
  /** Starts a job; the caller never has more than `slots` running. */
  start(job: TranscribeJob): RunningJob;
  close(): Promise<void>;
}
