/** What runs the server's live streams: recogniser threads holding the streams (StreamWorkerEngine), or a stand-in in tests. */
import type { StreamEvent } from '../recognizer/stream-session.js';

/** An error that ends a stream early: its message and an HTTP-style status. */
export interface ErrorEvent {
  type: 'error';
  error: string;
  status: number;
}

/** What the server sends on a stream: partials and finals, and an error before the last final where one ended the stream. */
export type ServerStreamEvent = StreamEvent | ErrorEvent;

/** Where a stream's results go. */
export interface StreamListener {
  /** Events of the stream, and the seconds of its audio the recogniser has taken in so far. */
  onEvents(events: StreamEvent[], consumedSeconds: number): void;
  /** The stream is over: after end(), its last events came before; `error` says why when the recogniser failed it. */
  onEnd(error?: string): void;
}

/** One open stream in the engine. */
export interface EngineStream {
  /** Mono samples in [-1, 1) at the stream's rate; the engine may transfer their buffer. */
  push(samples: Float32Array): void;
  /**
   * No more audio: the rest is decoded and the last final sent (always one final; with
   * `reason` when the stream was cut), then onEnd.
   */
  end(reason?: string): void;
  /** The client is gone: drop the stream, send nothing more (onEnd still comes). */
  drop(): void;
}

export interface StreamEngine {
  /** The model's name. */
  readonly model: string;
  /** Whether the model streams (state carried across chunks) rather than re-decoding each utterance. */
  readonly streaming: boolean;
  /** Streams open in the engine. */
  readonly openStreams: number;
  /** Opens a stream of mono audio at `sampleRate` Hz. */
  open(sampleRate: number, listener: StreamListener): EngineStream;
  close(): Promise<void>;
}
