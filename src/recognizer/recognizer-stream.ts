/**
 * One live audio stream through a recogniser (sherpa-onnx's OnlineStream): audio in as it
 * arrives, partial results while the person speaks, an endpoint when they stop, the
 * utterance's final result, then the next utterance.
 *
 * ```ts
 * const s = recognizer.createStream();
 * s.acceptWaveform(samples, 16000);          // any rate, any chunk size
 * recognizer.decode(s);
 * console.log(s.partial().text);
 * if (s.isEndpoint()) { console.log(s.final().text); s.reset(); }
 * ```
 *
 * A streaming model (unidirectional or latency-controlled encoder) carries its encoder and
 * decoder state from chunk to chunk: each chunk costs the same however long the stream, and
 * the result equals the offline result on the same audio. Any other model re-decodes the utterance's buffered
 * audio, at most every `redecodeSeconds` of new audio; the endpoint rules bound how long an
 * utterance (so its buffer and each re-decode) can grow.
 */
import { Endpointer, type EndpointConfig } from '../audio/endpoint.js';
import { createVad, type VadOptions, vadKind, type VoiceActivityDetector } from '../audio/voice-activity.js';
import { FrontEndStream } from '../audio/front-end-stream.js';
import type { AcousticOutput, AcousticStream, OutputKind } from '../decode/acoustic-output.js';
import type { Decoder } from '../decode/decoder.js';
import type { DecoderStream } from '../decode/decoder-stream.js';
import { type TimedWord, type Transcript, toTranscript } from '../decode/transcript.js';
import type { Features } from '../util/features.js';

/** Options of a stream (see Recognizer.createStream). */
export interface StreamOptions {
  /** The decoder (default the recogniser's default one: its model directory's LM, if any). */
  decoder?: Decoder;
  /** Endpoint rules (defaults: 2.4 s of silence without speech, 0.8 s after speech, 20 s at most). */
  endpoint?: EndpointConfig;
  /** The voice activity detector the endpoints are decided on, and its options (default the trained VAD: see docs/streaming.md#endpoints). */
  vad?: VadOptions;
  /** Models that are not streaming: seconds of new audio between re-decodes of the utterance (default 0.5). */
  redecodeSeconds?: number;
}

/** A result on the stream's clock: `start` and `end` are seconds from the start of the stream, as are the words' times. */
export interface StreamResult extends Transcript {
  start: number;
  end: number;
}

/** What a stream needs of its recogniser (kept narrow so that the stream is testable on its own). */
export interface StreamHost {
  /** Models that stream: their front end over the stream. */
  readonly frontEnd: FrontEndStream | undefined;
  readonly outputKind: OutputKind;
  readonly secondsPerFrame: number;
  readonly labels: readonly string[];
  readonly decoder: Decoder;
  /** The model's stream, when the model is a streaming one. */
  readonly acoustic: AcousticStream | undefined;
  /** Offline decoding of a whole utterance's audio (models that are not streaming). */
  transcribe(samples: Float32Array, sampleRate: number): Transcript;
}

/** One live stream; see the module comment. Create it with Recognizer.createStream. */
export class RecognizerStream {
  private readonly endpointConfig: EndpointConfig;
  private readonly vadOptions: VadOptions;
  private readonly redecodeSamples: (rate: number) => number;
  private vad: VoiceActivityDetector | undefined;
  private endpointer: Endpointer | undefined;
  private search: DecoderStream;
  /** Normalised feature frames not yet through the model. */
  private pending: Features[] = [];
  /** Models that are not streaming: the utterance's audio, and the last re-decode's result. */
  private audio: Float32Array[] = [];
  private audioLength = 0;
  private decodedLength = -1;
  private offline: Transcript | undefined;
  private rate: number | undefined;
  /** Samples of the stream before this utterance, and in it. */
  private utteranceStartSample = 0;
  private utteranceSamples = 0;
  private finished = false;
  private flushed = false;

  /** @internal use Recognizer.createStream */
  constructor(private readonly host: StreamHost, options: StreamOptions = {}) {
    this.endpointConfig = options.endpoint ?? {};
    this.vadOptions = options.vad ?? {};
    vadKind(this.vadOptions); // bad VAD options fail here, not at the first audio
    const every = options.redecodeSeconds ?? 0.5;
    if (!(every >= 0)) throw new Error(`stream: redecodeSeconds must be >= 0, got ${every}`);
    this.redecodeSamples = (rate) => Math.round(every * rate);
    this.search = host.decoder.createStream(host.outputKind);
  }

  /** Whether the model streams (state carried across chunks) rather than re-decoding the utterance. */
  get streaming(): boolean {
    return this.host.acoustic !== undefined;
  }

  /** Seconds of audio received since the stream began (its clock). */
  get seconds(): number {
    return this.rate ? (this.utteranceStartSample + this.utteranceSamples) / this.rate : 0;
  }

  /**
   * Adds mono samples in [-1, 1) at `sampleRate` Hz (the same rate for the whole stream).
   * Cheap: features and voice activity; the network runs in Recognizer.decode.
   */
  acceptWaveform(samples: Float32Array, sampleRate: number): void {
    if (this.finished) throw new Error('stream: acceptWaveform after inputFinished() or final() (call reset() to go on)');
    if (this.rate !== undefined && sampleRate !== this.rate) {
      throw new Error(`stream: sample rate changed from ${this.rate} to ${sampleRate} Hz within a stream`);
    }
    if (this.streaming) {
      const f = this.host.frontEnd!.accept(samples, sampleRate);
      if (f.frames > 0) this.pending.push(f);
    } else {
      for (let i = 0; i < samples.length; i++) {
        if (!Number.isFinite(samples[i]!)) throw new Error(`audio sample ${this.utteranceSamples + i} is not a finite number: ${samples[i]}`);
      }
      this.audio.push(samples.slice());
      this.audioLength += samples.length;
    }
    if (this.rate === undefined) {
      this.rate = sampleRate;
      this.vad = createVad(sampleRate, this.vadOptions);
      this.endpointer = new Endpointer(this.vad.frameSeconds, this.endpointConfig);
    }
    this.utteranceSamples += samples.length;
    this.endpointer!.accept(this.vad!.accept(samples));
  }

  /** No more audio will come: the next decode finishes the utterance. */
  inputFinished(): void {
    this.finished = true;
  }

  /** Whether the input has been finished. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** Whether an endpoint rule has fired in this utterance (call final() and reset()). */
  isEndpoint(): boolean {
    return this.endpointer?.isEndpoint() ?? false;
  }

  /** Whether the work Recognizer.decode would do is waiting. */
  get ready(): boolean {
    if (!this.streaming) return this.audioLength !== this.decodedLength && (this.finished || this.audioLength - this.decodedLength >= this.redecodeSamples(this.rate ?? 16000));
    return this.pending.length > 0 || (this.finished && !this.flushed);
  }

  /** @internal Recognizer.decode: runs the model and the search over what has arrived. */
  decodePending(): void {
    const acoustic = this.host.acoustic;
    if (!acoustic) {
      if (this.ready) this.redecode();
      return;
    }
    const f = this.takeFeatures();
    if (f) this.acceptOutput(acoustic.accept(f));
    this.afterDecode();
  }

  /** @internal The model's stream (streaming models), for Recognizer.decode to run several together. */
  get acousticStream(): AcousticStream | undefined {
    return this.host.acoustic;
  }

  /** @internal The feature frames that arrived since the last decode (one block), or undefined. */
  takeFeatures(): Features | undefined {
    if (this.pending.length === 0) return undefined;
    const parts = this.pending;
    this.pending = [];
    if (parts.length === 1) return parts[0];
    const dim = parts[0]!.dim, frames = parts.reduce((n, p) => n + p.frames, 0);
    const data = new Float32Array(frames * dim);
    let at = 0;
    for (const p of parts) { data.set(p.data, at); at += p.data.length; }
    return { data, frames, dim };
  }

  /** @internal The model's output for those frames, into the search. */
  acceptOutput(output: AcousticOutput): void {
    this.search.accept(output);
  }

  /** @internal After a decode: a finished input's tails through the model and the search. */
  afterDecode(): void {
    if (this.finished && !this.flushed) this.flush();
  }

  /** The utterance's result so far, on the stream's clock. */
  partial(): StreamResult {
    if (!this.streaming) return this.onStreamClock(this.offline ?? this.emptyTranscript());
    return this.onStreamClock(toTranscript(this.search.partial(), {
      labels: this.host.labels, secondsPerFrame: this.host.secondsPerFrame, duration: this.utteranceSeconds,
      alternatives: this.host.decoder.nBest > 1,
    }));
  }

  /**
   * The utterance's final result: everything received decoded to its end (the model's
   * look-ahead flushed), on the stream's clock. Call reset() to go on with the next one.
   */
  final(): StreamResult {
    if (this.streaming) {
      this.decodePending();
      this.flush();
    } else if (this.audioLength !== this.decodedLength) {
      this.redecode();
    }
    this.finished = true;
    return this.partial();
  }

  /**
   * Starts the next utterance where this one ended: the model's and the search's state,
   * the endpoint and the finished flag are cleared; the stream's clock goes on.
   */
  reset(): void {
    this.utteranceStartSample += this.utteranceSamples;
    this.utteranceSamples = 0;
    this.host.frontEnd?.reset();
    this.host.acoustic?.reset();
    this.search = this.host.decoder.createStream(this.host.outputKind);
    this.pending = [];
    this.audio = [];
    this.audioLength = 0;
    this.decodedLength = -1;
    this.offline = undefined;
    this.endpointer?.reset();
    this.vad?.reset();
    this.finished = false;
    this.flushed = false;
  }

  private get utteranceSeconds(): number {
    return this.rate ? this.utteranceSamples / this.rate : 0;
  }

  /** The end of the input: the front end's and the model's tails through the search. */
  private flush(): void {
    if (this.flushed) return;
    const acoustic = this.host.acoustic!;
    if (this.rate !== undefined) {
      const tail = this.host.frontEnd!.finish();
      if (tail.frames > 0) this.search.accept(acoustic.accept(tail));
    }
    this.search.accept(acoustic.finish());
    this.flushed = true;
  }

  private redecode(): void {
    const all = new Float32Array(this.audioLength);
    let at = 0;
    for (const a of this.audio) { all.set(a, at); at += a.length; }
    this.audio = [all];
    this.offline = this.rate ? this.host.transcribe(all, this.rate) : this.emptyTranscript();
    this.decodedLength = this.audioLength;
  }

  private emptyTranscript(): Transcript {
    return toTranscript([], { labels: this.host.labels, secondsPerFrame: this.host.secondsPerFrame, duration: this.utteranceSeconds });
  }

  /** `t` with its times moved from the utterance's clock to the stream's. */
  private onStreamClock(t: Transcript): StreamResult {
    const start = this.rate ? this.utteranceStartSample / this.rate : 0;
    const shift = (x: number): number => Math.round((x + start) * 1000) / 1000;
    const words: TimedWord[] = t.words.map((w) => ({ ...w, start: shift(w.start), end: shift(w.end) }));
    const tokenTimings = t.tokenTimings.map((k) => ({ ...k, start: shift(k.start), end: shift(k.end) }));
    return { ...t, words, tokenTimings, start: shift(0), end: shift(this.utteranceSeconds) };
  }
}

