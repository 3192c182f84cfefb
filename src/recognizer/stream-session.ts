/**
 * The events of a live transcription, as the CLI prints them (NDJSON with --json), the
 * server sends them and the demo page shows them: a partial whenever the utterance's text
 * changes, a final at each endpoint (and at the end of the input), then the next utterance.
 */
import type { Recognizer } from './recognizer.js';
import type { RecognizerStream, StreamOptions, StreamResult } from './recognizer-stream.js';

/** The text so far of the utterance being spoken; `at`: seconds of audio consumed. */
export interface PartialEvent {
  type: 'partial';
  text: string;
  at: number;
}

/** An utterance's result: seconds on the stream's clock, and its words. */
export interface FinalEvent {
  type: 'final';
  text: string;
  start: number;
  end: number;
  words: { word: string; start: number; end: number; confidence: number }[];
  /** Why the stream ended here, when it was cut short (a deadline, an error, a limit). */
  reason?: string;
}

export type StreamEvent = PartialEvent | FinalEvent;

/** A stream and the events it has produced (see the module comment). */
export class StreamSession {
  readonly stream: RecognizerStream;
  private lastPartial = '';
  /** Seconds of wall-clock time from the endpoint's chunk being fed to its final event, for each endpoint. */
  readonly endpointLatencies: number[] = [];

  /** Samples fed since the session began. */
  private fed = 0;

  /**
   * @param stepSeconds endpoints are looked for every stepSeconds of audio on the stream's
   * clock (default 0.1 s), and larger chunks are cut there: so an utterance ends at the
   * same sample whatever the size of the chunks the audio comes in.
   */
  constructor(readonly recognizer: Recognizer, options: StreamOptions = {}, readonly stepSeconds = 0.1) {
    if (!(stepSeconds > 0)) throw new Error(`StreamSession: stepSeconds must be > 0, got ${stepSeconds}`);
    this.stream = recognizer.createStream(options);
  }

  /** Feeds a chunk: the events it produces (changed partials; a final where an endpoint fired). */
  accept(samples: Float32Array, sampleRate: number): StreamEvent[] {
    const step = Math.max(1, Math.round(this.stepSeconds * sampleRate));
    const out: StreamEvent[] = [];
    for (let at = 0; at < samples.length;) {
      const n = Math.min(samples.length - at, step - (this.fed % step));
      this.fed += n;
      out.push(...this.step(samples.subarray(at, at + n), sampleRate, this.fed % step === 0));
      at += n;
    }
    return out;
  }

  private step(samples: Float32Array, sampleRate: number, boundary: boolean): StreamEvent[] {
    const s = this.stream;
    const t0 = performance.now();
    s.acceptWaveform(samples, sampleRate);
    this.recognizer.decode(s);
    if (boundary && s.isEndpoint()) {
      const final = s.final();
      this.endpointLatencies.push((performance.now() - t0) / 1000);
      s.reset();
      this.lastPartial = '';
      return final.text !== '' ? [finalEvent(final)] : [];
    }
    return this.partial();
  }

  /** The input has ended (or was cut: `reason` says why): the last utterance's final, if it said anything or `reason` is given. */
  end(reason?: string): StreamEvent[] {
    const s = this.stream;
    s.inputFinished();
    this.recognizer.decode(s);
    const final = s.final();
    return final.text !== '' || reason ? [finalEvent(final, reason)] : [];
  }

  private partial(): StreamEvent[] {
    const p = this.stream.partial();
    if (p.text === this.lastPartial) return [];
    this.lastPartial = p.text;
    return [{ type: 'partial', text: p.text, at: round(this.stream.seconds) }];
  }
}

function finalEvent(r: StreamResult, reason?: string): FinalEvent {
  return {
    type: 'final', text: r.text, start: r.start, end: r.end,
    words: r.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) })),
    ...(reason ? { reason } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
