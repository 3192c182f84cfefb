/**
 * The events of a live transcription, as the CLI prints them (NDJSON with --json), the
 * server sends them and the demo page shows them: a partial whenever the utterance's text
 * changes, a final at each endpoint (and at the end of the input), then the next utterance.
 *
 * One session: `session.accept(samples, rate)` feeds and decodes at once. Many sessions of
 * one recogniser (a server's streams): `session.push(samples, rate)` queues audio, and
 * `decodeSessions(sessions)` feeds each its next step and decodes their streams together.
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

  /** Samples fed to the stream since the session began. */
  private fed = 0;
  /** Audio pushed and not yet fed, oldest first. */
  private queue: Float32Array[] = [];
  private queued = 0;
  private rate: number | undefined;

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
    this.push(samples, sampleRate);
    return this.drain();
  }

  /**
   * Queues a chunk for {@link decodeSessions} without decoding it. The array is kept (not
   * copied) until it is fed: do not change it afterwards.
   */
  push(samples: Float32Array, sampleRate: number): void {
    if (this.rate !== undefined && sampleRate !== this.rate) throw new Error(`StreamSession: sample rate changed from ${this.rate} to ${sampleRate} Hz within a stream`);
    this.rate = sampleRate;
    if (samples.length === 0) return;
    this.queue.push(samples);
    this.queued += samples.length;
  }

  /** Seconds of audio fed to the recogniser since the session began (pushed audio still queued not counted). */
  get fedSeconds(): number {
    return this.rate ? this.fed / this.rate : 0;
  }

  /** Whether a whole step (audio up to the next step boundary) is queued: {@link decodeSessions} would feed it. */
  get ready(): boolean {
    return this.rate !== undefined && this.queued > 0 && this.queued >= this.toBoundary();
  }

  /** The input has ended (or was cut: `reason` says why): the queued audio's events and the last utterance's final, if it said anything or `reason` is given or `alwaysFinal`. */
  end(reason?: string, alwaysFinal = false): StreamEvent[] {
    const out = this.drain();
    const s = this.stream;
    s.inputFinished();
    this.recognizer.decode(s);
    const final = s.final();
    return [...out, ...(final.text !== '' || reason || alwaysFinal ? [finalEvent(final, reason)] : [])];
  }

  /** Feeds everything queued, a step at a time (the last piece may be shorter). */
  private drain(): StreamEvent[] {
    const out: StreamEvent[] = [];
    while (this.queued > 0) out.push(...decodeSessions([this], true)[0]!);
    return out;
  }

  private toBoundary(): number {
    const step = Math.max(1, Math.round(this.stepSeconds * this.rate!));
    return step - (this.fed % step);
  }

  /**
   * @internal Feeds the next piece of queued audio (up to the next step boundary; with
   * `partial`, a shorter one when that is all there is). Returns whether it ended on a
   * boundary, or undefined when there was nothing to feed.
   */
  feedNext(partial: boolean): boolean | undefined {
    if (this.queued === 0 || (!partial && !this.ready)) return undefined;
    const n = Math.min(this.queued, this.toBoundary());
    this.stream.acceptWaveform(this.take(n), this.rate!);
    this.fed += n;
    return this.toBoundary() === Math.max(1, Math.round(this.stepSeconds * this.rate!));
  }

  /** @internal After its stream was decoded: the final where an endpoint fired at a boundary, else a changed partial. */
  settle(boundary: boolean, fedAt: number): StreamEvent[] {
    const s = this.stream;
    if (boundary && s.isEndpoint()) {
      const final = s.final();
      this.endpointLatencies.push((performance.now() - fedAt) / 1000);
      s.reset();
      this.lastPartial = '';
      return final.text !== '' ? [finalEvent(final)] : [];
    }
    const p = s.partial();
    if (p.text === this.lastPartial) return [];
    this.lastPartial = p.text;
    return [{ type: 'partial', text: p.text, at: round(s.seconds) }];
  }

  /** The first `n` queued samples, removed from the queue. */
  private take(n: number): Float32Array {
    const head = this.queue[0]!;
    let out: Float32Array;
    if (head.length >= n) {
      out = head.subarray(0, n);
      if (head.length === n) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    } else {
      out = new Float32Array(n);
      for (let at = 0; at < n;) {
        const h = this.queue[0]!;
        const k = Math.min(h.length, n - at);
        out.set(h.subarray(0, k), at);
        at += k;
        if (k === h.length) this.queue.shift();
        else this.queue[0] = h.subarray(k);
      }
    }
    this.queued -= n;
    return out;
  }
}

/**
 * One round for several sessions of one recogniser: each takes the next piece of its queued
 * audio (a whole step; with `partial`, a shorter one where that is all it has), their
 * streams are decoded together (a streaming model's encoder steps share matrix products),
 * and each session's events come back, in the order of `sessions` (empty where a session
 * had nothing to feed). Each stream's result is the one it would get alone.
 */
export function decodeSessions(sessions: readonly StreamSession[], partial = false): StreamEvent[][] {
  const rec = sessions[0]?.recognizer;
  if (sessions.some((s) => s.recognizer !== rec)) throw new Error('decodeSessions: the sessions belong to different recognisers');
  const t0 = performance.now();
  const fed = sessions.map((s) => s.feedNext(partial));
  const streams = sessions.filter((_, i) => fed[i] !== undefined).map((s) => s.stream);
  if (streams.length > 0) rec!.decode(...streams);
  return sessions.map((s, i) => (fed[i] === undefined ? [] : s.settle(fed[i]!, t0)));
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
