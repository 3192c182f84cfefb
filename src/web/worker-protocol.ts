/** Messages between the demo page and its recogniser worker (src/web/recognizer-worker.ts). */
import type { TranscriptionJson } from '../recognizer/transcription-json.js';
import type { StreamEvent } from '../recognizer/stream-session.js';
import type { BrowserBackendChoice, BrowserEngine } from './load-recognizer.js';

/** Page -> worker. */
export type ToWorker =
  /**
   * `backend`: what transcribes files (default 'auto': WebGPU where the browser has an
   * adapter, else WASM). `liveModelUrl`: the model of live captions where it is another
   * (the server's streaming model), named `liveName`.
   */
  | { type: 'load'; modelUrl: string; name?: string; backend?: BrowserBackendChoice; liveModelUrl?: string; liveName?: string }
  /** A WAV file's bytes, or samples the page decoded itself (recordings, other formats). */
  | { type: 'transcribe'; id: number; name: string; bytes?: Uint8Array; samples?: Float32Array; sampleRate?: number }
  /**
   * Live captions begin: microphone audio at `sampleRate` Hz will arrive on `audio` (a
   * port whose other end is the microphone worklet's) as {@link MicMessage}s. With
   * `keepAudio` the worker keeps what it received and returns it when the stream ends.
   */
  | { type: 'live-start'; audio: MessagePort; sampleRate: number; keepAudio?: boolean };

/** Microphone worklet -> worker, on the port given in 'live-start'. */
export type MicMessage =
  /** Mono samples in [-1, 1), in the order captured. */
  | { type: 'audio'; samples: Float32Array }
  /** The microphone was stopped; everything captured has been sent. */
  | { type: 'end' };

/** Page -> microphone worklet, on its node's port: where to send the audio; stop. */
export type ToMicWorklet = { type: 'connect'; audio: MessagePort } | { type: 'stop' };

/** The name src/web/mic-worklet.ts registers its processor under. */
export const MIC_PROCESSOR = 'sayre-mic';

/** Worker -> page. */
export type FromWorker =
  /**
   * `engine`: what transcribes files; simd and threads: the WASM backend's (live captions,
   * and files without WebGPU); `liveName`: the live captions' model.
   */
  | { type: 'ready'; name: string; liveName: string; engine: BrowserEngine; simd: string; threads: number; isolated: boolean }
  | { type: 'failed'; message: string }
  | {
    type: 'done'; id: number; result: TranscriptionJson; milliseconds: number;
    /** Unnormalised scores [frames, classes] and what the matrix drawing needs. */
    logits: Float32Array; frames: number; classes: number; labels: string[]; secondsPerFrame: number;
  }
  | { type: 'error'; id: number; message: string }
  /** Live captions: partials as the text changes, finals at endpoints (StreamSession's events). */
  | { type: 'live'; events: StreamEvent[] }
  /** The live stream has ended (its last final came before); the audio when it was kept. */
  | { type: 'live-ended'; audio?: Float32Array; sampleRate: number }
  | { type: 'live-failed'; message: string };
