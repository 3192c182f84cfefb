/**
 * The recogniser: a loaded model directory and the code to turn audio into text with
 * timings. The CLI's `transcribe` and `eval` are thin shells over it.
 *
 * ```ts
 * const rec = Recognizer.load();                 // the bundled English model
 * const t = rec.transcribeFile('samples/hello.wav');
 * console.log(t.text, t.words[0].start, t.confidence);
 * ```
 */
import type { Features } from '../util/features.js';
import { decodeAudioBytes, openAudio, type ReadAudioOptions } from '../audio/read-audio.js';
import { readWav } from '../audio/wav-read.js';
import type { Backend } from '../backend/index.js';
import { batchEpoch } from '../data/batching.js';
import { tokenizerLabels } from '../data/char-tokenizer.js';
import type { AcousticOutput, AcousticStream, DecodableModel } from '../decode/acoustic-output.js';
import { type Decoder, type DecoderConfig, createDecoder } from '../decode/decoder.js';
import { type OutputMatrix, type TimedToken, type TimedWord, type Transcript, toTranscript } from '../decode/transcript.js';
import { bundledModelDir } from './default-model.js';
import { RecognizerStream, type StreamOptions } from './recognizer-stream.js';
import { FrontEndStream } from '../audio/front-end-stream.js';
import { computeFeatures, frameSeconds } from '../audio/front-end.js';
import { type LoadedModel, loadModelDir, modelFromBytes } from '../model/io/model-dir.js';
import { padFeatures } from '../data/pad-batch.js';
import { type BeamDecoderSetup, decoderFor } from './beam-decoder.js';
import { type LongAudioOptions, type TranscribedSegment, transcribeStream } from './long-audio.js';

/** A transcript of audio of any length: the joined text, words and tokens, and the segments it was decoded in. */
export interface LongTranscript {
  text: string;
  words: TimedWord[];
  tokenTimings: TimedToken[];
  /** Mean of the segments' confidences, weighted by their words. */
  confidence: number;
  /** Seconds of audio in the file. */
  duration: number;
  /** The segments (cut at pauses, at most maxSegmentSeconds each) with times on the file's clock; silent ones left out. */
  segments: TranscribedSegment<TimedWord, TimedToken>[];
  /** With an n-best search, of a file decoded in one segment: the best texts, best first. */
  alternatives?: { text: string; score: number }[];
}

/** How {@link Recognizer.transcribeFeatures} decodes. */
export interface DecodeOptions {
  /** Padded frames per batch (default 20000). */
  maxFrames?: number;
  /** The decoder (see {@link Recognizer.decoder}); default {@link Recognizer.defaultDecoder} (the model directory's LM if it has one, else best path / RNN-T greedy). */
  decoder?: Decoder;
  /** Hand back each utterance's output matrix as `Transcript.output` (CTC models; empty for RNN-T). */
  keepOutput?: boolean;
}

/**
 * Options of {@link Recognizer.load}: the backend, and how it decodes by default (with the
 * model directory's LM by prefix beam search when it has one; `lm: false`: best path;
 * `lm: FILE`: that LM instead).
 */
export interface RecognizerOptions extends BeamDecoderSetup {
  backend?: Backend;
}

/** A speech recogniser over one model directory. */
export class Recognizer {
  /** `setup`: how it decodes when a call names no decoder (default: the directory's own LM, if any). */
  constructor(readonly loaded: LoadedModel, private readonly setup: BeamDecoderSetup = {}) {}

  /** Loads a model directory (by default the bundled English model) that decodes with its own LM unless `options` say otherwise. */
  static load(dir: string = bundledModelDir(), options: RecognizerOptions = {}): Recognizer {
    const { backend, ...setup } = options;
    return new Recognizer(loadModelDir(dir, backend ? { backend } : {}), setup);
  }

  /**
   * A recogniser from a model directory's two files given as their contents: config.json's
   * text and model.safetensors' bytes (fetched over HTTP in a browser, say). `name` stands
   * for the directory in errors.
   */
  static fromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: RecognizerOptions = {}): Recognizer {
    const { backend, ...setup } = options;
    return new Recognizer(modelFromBytes(configJson, weights, name, backend ? { backend } : {}), setup);
  }

  /**
   * The decoder of calls that name none: the options' LM or the model directory's own by
   * beam search, else best path / greedy. Built (and the LM read) on first use.
   */
  get defaultDecoder(): Decoder {
    return (this.byDefault ??= decoderFor(this, this.setup) ?? this.decoder());
  }

  /** The model's own sample rate (other rates are resampled to it). */
  get sampleRate(): number {
    return this.loaded.frontEnd.sampleRate;
  }

  /** Seconds per model output frame (the feature shift times the model's frame stride). */
  get secondsPerFrame(): number {
    return frameSeconds(this.loaded.frontEnd) * this.loaded.model.config.frameStride;
  }

  /** Normalised features of mono samples in [-1, 1) at `sampleRate` Hz. */
  features(samples: Float32Array, sampleRate: number): Features {
    return computeFeatures(samples, sampleRate, this.loaded.frontEnd, this.loaded.cmvn);
  }

  /** Transcribes mono samples in [-1, 1) at any sample rate. */
  transcribe(samples: Float32Array, sampleRate: number, options: DecodeOptions = {}): Transcript {
    const t = this.transcribeFeatures([this.features(samples, sampleRate)], options)[0]!;
    t.duration = samples.length / sampleRate;
    return t;
  }

  /** Transcribes a WAV file (any rate, channels mixed to mono). */
  transcribeFile(path: string, options: DecodeOptions = {}): Transcript {
    const audio = readWav(path);
    return this.transcribe(audio.samples, audio.sampleRate, options);
  }

  /**
   * Transcribes an audio file of any length and format (WAV, MP3, FLAC, Ogg Vorbis, Ogg
   * Opus, WebM/Opus by content; others through ffmpeg when it is on PATH), or such a file's
   * bytes: decoded a piece at a time, cut at pauses into segments of at most
   * `maxSegmentSeconds` (default 20), each decoded alone, times on the file's clock. Memory
   * grows with the segment length, not the file's (beyond the file's own bytes).
   */
  async transcribeLong(source: string | Uint8Array, options: DecodeOptions & LongAudioOptions & ReadAudioOptions & { name?: string } = {}): Promise<LongTranscript> {
    const chunks = typeof source === 'string' ? (await openAudio(source, options)).chunks : decodeAudioBytes(source, options.name ?? '<buffer>', options);
    return transcribeStream(chunks, (samples, rate) => this.transcribeAsync(samples, rate, options), options);
  }

  /** The labels of the model's output classes, blank first (its string is never shown). */
  get labels(): string[] {
    return tokenizerLabels(this.loaded.tokenizer);
  }

  /** A decoder for this model's output (any model kind; see {@link createDecoder}). */
  decoder(config: DecoderConfig = {}): Decoder {
    return createDecoder(config, this.labels, this.loaded.tokenizer.blank);
  }

  /**
   * Transcribes many utterances' features in length-sorted batches of at most
   * `maxFrames` padded frames (default 20000); results are in input order, decoded by
   * `options.decoder` (default {@link Recognizer.defaultDecoder}).
   */
  transcribeFeatures(items: readonly Features[], options: DecodeOptions = {}): Transcript[] {
    const be = this.loaded.model.backend;
    if (be.onDevice) throw new Error(`Recognizer on ${be.name}: its results come back asynchronously; use transcribeAsync or transcribeFeaturesAsync`);
    const job = this.plan(items, options);
    for (const idx of job.batches) {
      const batch = padFeatures(items, idx);
      job.finish(idx, this.loaded.model.decodable(batch.x, batch.shape, batch.lengths));
    }
    return job.out;
  }

  /**
   * {@link Recognizer.transcribeFeatures} on any backend, a device backend (webgpu)
   * included: there the encoder and output layer run on the device and each batch's
   * output is read back once (decoding stays on the host; an RNN-T model's prediction and
   * joint networks too, from its weights read back once: RnntModel.decodableAsync).
   */
  async transcribeFeaturesAsync(items: readonly Features[], options: DecodeOptions = {}): Promise<Transcript[]> {
    const job = this.plan(items, options);
    const { model } = this.loaded;
    for (const idx of job.batches) {
      const batch = padFeatures(items, idx);
      const decodable: DecodableModel = model;
      if (model.backend.onDevice && decodable.decodableAsync) {
        job.finish(idx, await decodable.decodableAsync(batch.x, batch.shape, batch.lengths)); // reads back itself
        continue;
      }
      const y = model.decodable(batch.x, batch.shape, batch.lengths);
      if (model.backend.onDevice) {
        if (y.kind !== 'ctc') throw new Error(`transcribe on ${model.backend.name}: a ${y.kind} model without decodableAsync does not run on a device backend`);
        await model.backend.read(y.logits); // the batch's one read-back
      }
      job.finish(idx, y);
    }
    return job.out;
  }

  /** {@link Recognizer.transcribe} on any backend (see {@link Recognizer.transcribeFeaturesAsync}). */
  async transcribeAsync(samples: Float32Array, sampleRate: number, options: DecodeOptions = {}): Promise<Transcript> {
    const t = (await this.transcribeFeaturesAsync([this.features(samples, sampleRate)], options))[0]!;
    t.duration = samples.length / sampleRate;
    return t;
  }

  /** Length-sorted batches of `items`, and how a batch's output becomes transcripts (into `out`). */
  private plan(items: readonly Features[], options: DecodeOptions): {
    out: Transcript[]; batches: number[][]; finish: (idx: number[], y: AcousticOutput) => void;
  } {
    const out: Transcript[] = new Array(items.length);
    // Nothing to decode: the default decoder (and its LM) is not built.
    if (items.length === 0) return { out, batches: [], finish: () => undefined };
    const decoder = options.decoder ?? this.defaultDecoder;
    const labels = this.labels;
    const frameSec = frameSeconds(this.loaded.frontEnd);
    const alternatives = decoder.nBest > 1;
    const noOutput = { logits: new Float32Array(0), frames: 0, classes: this.loaded.model.config.numClasses };
    // Audio shorter than one feature frame has nothing to decode.
    const batches = batchEpoch(items.map((f) => f.frames), { maxFrames: options.maxFrames ?? 20000, seed: 0, shuffle: false }, 0)
      .map((idx) => idx.filter((i) => {
        if (items[i]!.frames > 0) return true;
        out[i] = toTranscript([], { labels, secondsPerFrame: this.secondsPerFrame, duration: items[i]!.frames * frameSec });
        if (options.keepOutput) out[i]!.output = noOutput;
        return false;
      }))
      .filter((idx) => idx.length > 0);
    const finish = (idx: number[], y: AcousticOutput): void => {
      decoder.decode(y).forEach((nbest, b) => {
        const i = idx[b]!;
        out[i] = toTranscript(nbest, { labels, secondsPerFrame: this.secondsPerFrame, duration: items[i]!.frames * frameSec, alternatives });
        if (options.keepOutput) out[i]!.output = outputMatrix(y, b) ?? noOutput;
      });
    };
    return { out, batches, finish };
  }

  /**
   * A live stream (see {@link RecognizerStream}): audio in chunks, partial results, endpoints
   * and finals. A streaming model ("bidirectional": false, or "latencyControl") carries its
   * state across chunks; any other model re-decodes the utterance's audio.
   */
  createStream(options: StreamOptions = {}): RecognizerStream {
    const { model, frontEnd, cmvn } = this.loaded;
    const decoder = options.decoder ?? this.defaultDecoder;
    return new RecognizerStream({
      frontEnd: model.streaming ? new FrontEndStream(frontEnd, cmvn) : undefined,
      outputKind: model.outputKind,
      secondsPerFrame: this.secondsPerFrame,
      labels: this.labels,
      decoder,
      acoustic: model.streaming ? model.createStream() : undefined,
      transcribe: (samples, rate) => this.transcribe(samples, rate, { decoder }),
    }, options);
  }

  /**
   * Runs the network and the search over what each stream has received since its last
   * decode. Streams of a streaming model run together: their encoder steps share matrix
   * products (each stream's result is the one it would get alone).
   */
  decode(...streams: RecognizerStream[]): void {
    const batch: { s: RecognizerStream; acoustic: AcousticStream; f: Features }[] = [];
    for (const s of streams) {
      const acoustic = s.acousticStream;
      const f = acoustic ? s.takeFeatures() : undefined;
      if (acoustic && f) batch.push({ s, acoustic, f });
      else if (!acoustic) s.decodePending();
    }
    if (batch.length > 0) {
      const outputs = batch.length === 1 ? [batch[0]!.acoustic.accept(batch[0]!.f)] : this.loaded.model.acceptStreams(batch.map((b) => b.acoustic), batch.map((b) => b.f));
      batch.forEach((b, i) => b.s.acceptOutput(outputs[i]!));
    }
    for (const s of streams) if (s.acousticStream) s.afterDecode();
  }

  private byDefault: Decoder | undefined;
}

/** Utterance b's rows of a CTC output [T', B, C] as a [frames, C] matrix; undefined for a transducer's output. */
function outputMatrix(y: AcousticOutput, b: number): OutputMatrix | undefined {
  if (y.kind !== 'ctc') return undefined;
  const [, B, C] = y.shape;
  const frames = y.lengths[b]!;
  const logits = new Float32Array(frames * C);
  for (let t = 0; t < frames; t++) logits.set(y.logits.subarray((t * B + b) * C, (t * B + b + 1) * C), t * C);
  return { logits, frames, classes: C };
}
