/** A stand-in stream engine for server tests: it counts samples instead of recognising them, and can be held back. */
import type { StreamEvent } from '../../src/recognizer/stream-session.js';
import type { EngineStream, StreamEngine, StreamListener } from '../../src/server/stream-engine.js';

/** One stream as the engine saw it. */
export interface CountedStream {
  rate: number;
  samples: number;
  /** Samples reported as taken in (all of them unless the engine is held). */
  consumed: number;
  /** end()'s reason ('' for a normal end), when it was called. */
  ended?: string;
  dropped: boolean;
}

/**
 * Every push is answered (on the next turn of the event loop) with a partial "N samples";
 * end() with a final "N samples" (its reason when cut). While `held`, nothing is reported
 * as taken in, so the server sees the recogniser fall behind; release() catches up.
 */
export class CountingStreamEngine implements StreamEngine {
  readonly model = 'counting';
  readonly streaming = true;
  readonly streams: CountedStream[] = [];
  private readonly listeners = new Map<CountedStream, StreamListener>();
  held = false;

  get openStreams(): number {
    return this.listeners.size;
  }

  open(rate: number, listener: StreamListener): EngineStream {
    const s: CountedStream = { rate, samples: 0, consumed: 0, dropped: false };
    this.streams.push(s);
    this.listeners.set(s, listener);
    const later = (f: () => void): void => void setImmediate(() => { if (this.listeners.has(s)) f(); });
    return {
      push: (samples) => {
        s.samples += samples.length;
        if (!this.held) s.consumed = s.samples;
        later(() => listener.onEvents([{ type: 'partial', text: `${s.samples} samples`, at: s.samples / rate }], s.consumed / rate));
      },
      end: (reason) => {
        s.ended = reason ?? '';
        later(() => {
          const final: StreamEvent = { type: 'final', text: `${s.samples} samples`, start: 0, end: s.samples / rate, words: [], ...(reason ? { reason } : {}) };
          s.consumed = s.samples;
          listener.onEvents([final], s.consumed / rate);
          this.listeners.delete(s);
          listener.onEnd();
        });
      },
      drop: () => {
        s.dropped = true;
        this.listeners.delete(s);
        listener.onEnd();
      },
    };
  }

  /** Reports every stream's audio as taken in. */
  release(): void {
    this.held = false;
    for (const [s, l] of this.listeners) {
      s.consumed = s.samples;
      l.onEvents([], s.consumed / s.rate);
    }
  }

  async close(): Promise<void> {
    for (const l of this.listeners.values()) l.onEnd('the server stopped');
    this.listeners.clear();
  }
}
