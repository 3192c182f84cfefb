/**
 * One live stream of the server, whatever carries it (a chunked POST, a WebSocket): PCM
 * bytes in, events out, and the limits. It holds no audio of its own: samples go to the
 * stream engine as they arrive. Every stream ends with a final event: at the end of the
 * input; or, when it is cut (a deadline, a limit, an error, shutdown), an error event and
 * then a final with the reason. A client that goes away gets nothing more.
 */
import type { StreamEvent } from '../recognizer/stream-session.js';
import { HttpError } from './http-error.js';
import { PcmDecoder, type PcmFormat } from './pcm-decoder.js';
import type { EngineStream, ErrorEvent, ServerStreamEvent, StreamEngine } from './stream-engine.js';

/** What carries a stream: it sends events, ends the output, and can hold back the input. */
export interface StreamTransport {
  send(event: ServerStreamEvent): void;
  /** Ends the output after the last event; `status` is the error's where the stream was cut. */
  finish(status?: number): void;
  /** Stops reading the client's audio (the recogniser is behind), and goes on. */
  pause(): void;
  resume(): void;
}

/** The limits of a stream (see ServeOptions). */
export interface LiveStreamLimits {
  /** Longest audio of a stream, in seconds (413 past it). */
  maxStreamSeconds: number;
  /** No audio for this long: cut (408); the stream may last maxStreamSeconds plus this long. */
  timeoutMs: number;
  /** Seconds of audio received and not yet taken in by the recogniser at which the input is paused (resumed at half). */
  maxLagSeconds: number;
}

type State = 'open' | 'ending' | 'closed';

/** The least wait, after the end of the input or a step of the recogniser, for the final. */
const FINAL_WAIT_MS = 30000;

export class LiveStream {
  /** Resolves once the stream is over (its output finished, or its client gone). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private state: State = 'open';
  private decoder: PcmDecoder;
  private engineStream: EngineStream | undefined;
  private consumed = 0;
  private paused = false;
  /** Why the stream was cut, when it was: sent just before the last final. */
  private cutError: ErrorEvent | undefined;
  /** A cut stream's events from the recogniser, held until its final. */
  private held: StreamEvent[] = [];
  private readonly lifetime: ReturnType<typeof setTimeout>;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private answer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly engine: StreamEngine, private readonly transport: StreamTransport, private readonly limits: LiveStreamLimits, format: PcmFormat) {
    this.decoder = new PcmDecoder(format);
    this.done = new Promise((r) => { this.resolveDone = r; });
    const lifetimeMs = limits.maxStreamSeconds * 1000 + limits.timeoutMs;
    this.lifetime = setTimeout(() => this.cut(new HttpError(408, `the stream was cut: it lasted more than ${lifetimeMs} ms (--max-stream-seconds plus --timeout)`)), lifetimeMs);
    this.stalled();
  }

  /** Whether the stream is still taking audio. */
  get open(): boolean {
    return this.state === 'open';
  }

  /** Sets the audio format; only before any audio (a WebSocket's start message). */
  configure(format: PcmFormat): void {
    if (this.decoder.samples > 0 || this.engineStream) throw new HttpError(400, 'stream: the format can only be set before the audio');
    this.decoder = new PcmDecoder(format);
  }

  /** PCM bytes from the client. A bad sample or too long a stream cuts it. */
  write(bytes: Uint8Array): void {
    if (this.state !== 'open') return;
    this.stalled();
    let samples: Float32Array;
    try {
      samples = this.decoder.decode(bytes);
    } catch (err) {
      return this.cut(err instanceof HttpError ? err : new HttpError(400, String(err)));
    }
    if (this.decoder.seconds > this.limits.maxStreamSeconds) {
      return this.cut(new HttpError(413, `the stream was cut: its audio passed the ${this.limits.maxStreamSeconds} s allowed (--max-stream-seconds)`));
    }
    if (samples.length === 0) return;
    let stream: EngineStream;
    try {
      stream = this.stream();
    } catch (err) {
      return this.cut(err instanceof HttpError ? err : new HttpError(503, `no recogniser for the stream: ${err instanceof Error ? err.message : String(err)}`));
    }
    stream.push(samples);
    if (!this.paused && this.lag() > this.limits.maxLagSeconds) {
      this.paused = true;
      clearTimeout(this.idle); // waiting for the recogniser is not the client's stall
      this.transport.pause();
    }
  }

  /** The client ended its audio: the rest is decoded and the last final sent. */
  end(): void {
    if (this.state !== 'open') return;
    if (this.decoder.samples === 0) return this.cut(new HttpError(400, 'empty stream: send PCM audio (16-bit little-endian mono unless ?encoding=f32le) before ending it'));
    this.ending();
    this.engineStream!.end();
  }

  /**
   * Ends the stream early: what the recogniser still has is decoded, then an error event
   * and the final (with `err`'s message as its reason) end the output.
   */
  cut(err: HttpError): void {
    if (this.state !== 'open') return;
    this.cutError = { type: 'error', error: err.message, status: err.status };
    this.ending();
    if (this.engineStream) this.engineStream.end(err.message);
    else this.finish([{ type: 'final', text: '', start: 0, end: 0, words: [], reason: err.message }]);
  }

  /** The client went away: the recogniser forgets the stream; nothing more is sent. */
  gone(): void {
    if (this.state === 'closed') return;
    this.engineStream?.drop();
    this.close();
  }

  private stream(): EngineStream {
    return this.engineStream ??= this.engine.open(this.decoder.format.rate, {
      onEvents: (events, consumed) => this.onEvents(events, consumed),
      onEnd: (error) => this.onEnd(error),
    });
  }

  private lag(): number {
    return this.decoder.seconds - this.consumed;
  }

  private onEvents(events: StreamEvent[], consumed: number): void {
    if (this.state === 'closed') return;
    if (this.state === 'ending' && consumed > this.consumed) this.awaitFinal(); // the recogniser is working through a backlog: not hung
    this.consumed = consumed;
    if (this.cutError) this.held.push(...events);
    else for (const e of events) this.transport.send(e);
    if (this.paused && this.state === 'open' && this.lag() <= this.limits.maxLagSeconds / 2) {
      this.paused = false;
      this.stalled();
      this.transport.resume();
    }
  }

  private onEnd(error: string | undefined): void {
    if (this.state === 'closed') return;
    const held = this.held;
    const last = held.at(-1)?.type === 'final' ? held.pop() : undefined;
    if (error !== undefined || !last && this.cutError) {
      // The recogniser failed the stream (or stopped) and sent no final: one is made here.
      this.cutError ??= { type: 'error', error: `the recogniser failed: ${error}`, status: 500 };
      return this.finish([...held, { type: 'final', text: '', start: 0, end: this.consumed, words: [], reason: this.cutError.error }]);
    }
    this.finish([...held, ...(last ? [last] : [])]);
  }

  /** Stops taking audio; the final is awaited from the engine, or made here if it does not come. */
  private ending(): void {
    this.state = 'ending';
    clearTimeout(this.idle);
    clearTimeout(this.lifetime);
    if (this.paused) {
      this.paused = false;
      this.transport.resume(); // a cut client may still be sending; the transport drops its bytes
    }
    this.awaitFinal();
  }

  /**
   * (Re)arms the wait for the final. It runs from the end of the input and again from each
   * step the recogniser takes through this stream's audio, so a stream behind a long backlog
   * (an overloaded server) waits as long as the backlog takes; only a hung recogniser, which
   * takes no step for the whole wait, misses it (a dead one is noticed at once).
   */
  private awaitFinal(): void {
    clearTimeout(this.answer);
    const waitMs = Math.max(this.limits.timeoutMs, FINAL_WAIT_MS);
    this.answer = setTimeout(() => this.onEnd(`no final, and no progress through the audio, within ${waitMs} ms`), waitMs);
  }

  /** Sends `events` (the last a final), the error just before it where the stream was cut, and ends the output. */
  private finish(events: StreamEvent[]): void {
    const last = events.at(-1);
    for (const e of events) {
      if (e === last && this.cutError) this.transport.send(this.cutError);
      this.transport.send(e);
    }
    this.transport.finish(this.cutError?.status);
    this.close();
  }

  private close(): void {
    this.state = 'closed';
    clearTimeout(this.idle);
    clearTimeout(this.lifetime);
    clearTimeout(this.answer);
    this.resolveDone();
  }

  /** Restarts the stall timer: no audio for timeoutMs cuts the stream. */
  private stalled(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.cut(new HttpError(408, `the stream was cut: no audio arrived for ${this.limits.timeoutMs} ms (--timeout)`)), this.limits.timeoutMs);
  }
}
