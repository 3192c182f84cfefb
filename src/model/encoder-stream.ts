/**
 * The acoustic encoder of a streaming model (unidirectional LSTM stack) over a stream of
 * feature frames: frame stacking with its look-ahead of frameStack - 1 input frames, the
 * LSTM state carried from chunk to chunk, and an output layer (the CTC model's `fc`, the
 * transducer's encoder projection) on each new output frame. Memory: the LSTM state and
 * at most frameStack input frames, whatever the stream's length.
 */
import type { Backend } from '../backend/index.js';
import type { AcousticOutput, AcousticStream } from '../decode/acoustic-output.js';
import type { Linear } from '../nn/linear.js';
import { type LstmChunk, lstmStackChunks } from '../nn/lstm-chunk.js';
import { type LstmLayerWeights, type LstmState, lstmStackWeights, lstmZeroState } from '../nn/lstm-step.js';
import type { LstmStackConfig } from '../nn/lstm-stack.js';
import type { Parameters } from '../nn/parameters.js';
import type { Features } from '../util/features.js';
import { type AcousticEncoderConfig, encoderLstmConfig } from './acoustic-encoder.js';

/** Rows of network output for one stream: `frames` rows of `dim` values. */
export interface OutputRows {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** The state of one stream through an encoder and its output layer. */
export class EncoderStream implements AcousticStream {
  private readonly lstmConfig: LstmStackConfig;
  private readonly weights: LstmLayerWeights[];
  private state: LstmState;
  /** Input frames from index `inStart` on that a later output frame still reads. */
  private pending = new Float32Array(0);
  private inStart = 0;
  private received = 0;
  /** Output frames produced. */
  frames = 0;

  constructor(
    private readonly backend: Backend, private readonly params: Parameters, prefix: string,
    readonly config: AcousticEncoderConfig, private readonly head: Linear,
    /** The model's output of a chunk's rows (its kind of {@link AcousticOutput}). */
    private readonly wrap: (rows: OutputRows) => AcousticOutput,
  ) {
    if (config.bidirectional) {
      throw new Error('this model has a bidirectional encoder, which needs the whole utterance: only models trained with "bidirectional": false stream (see docs/streaming.md)');
    }
    this.lstmConfig = encoderLstmConfig(config);
    this.weights = lstmStackWeights(params, prefix, this.lstmConfig);
    this.state = lstmZeroState(this.lstmConfig);
  }

  /** Columns of each output row. */
  get dim(): number {
    return this.head.outFeatures;
  }

  /** Adds feature frames [frames, inputDim]; returns the output rows of the output frames they complete. */
  accept(features: Features): AcousticOutput {
    return EncoderStream.acceptMany([this], [features])[0]!;
  }

  /**
   * {@link EncoderStream.accept} for several streams of the same model at once: their LSTM
   * steps share matrix products (lstmStackChunks), each stream's result as if alone.
   */
  static acceptMany(streams: readonly EncoderStream[], features: readonly Features[]): AcousticOutput[] {
    if (streams.length !== features.length) throw new Error(`encoder streams: ${streams.length} streams, ${features.length} feature chunks`);
    return EncoderStream.runMany(streams, streams.map((s, i) => s.ready(features[i]!)));
  }

  /** The input has ended: the output frames left (stacks past the end padded with zeros, as offline). */
  finish(): AcousticOutput {
    return EncoderStream.runMany([this], [Math.ceil(this.received / this.config.frameStride)])[0]!;
  }

  /** A new utterance: the zero state, nothing pending. */
  reset(): void {
    this.state = lstmZeroState(this.lstmConfig);
    this.pending = new Float32Array(0);
    this.inStart = this.received = this.frames = 0;
  }

  /** Takes in feature frames; returns the output frame count they make ready. */
  private ready(features: Features): number {
    const F = this.config.inputDim;
    if (features.dim !== F) throw new Error(`encoder stream: features have ${features.dim} columns, the model expects ${F}`);
    for (let i = 0; i < features.frames * F; i++) {
      if (!Number.isFinite(features.data[i]!)) throw new Error(`encoder stream: feature frame ${this.received + Math.floor(i / F)} is not finite`);
    }
    const all = new Float32Array(this.pending.length + features.frames * F);
    all.set(this.pending);
    all.set(features.data.subarray(0, features.frames * F), this.pending.length);
    this.pending = all;
    this.received += features.frames;
    const { frameStack: stack, frameStride: stride } = this.config;
    // output frame j reads inputs j*stride .. j*stride + stack - 1
    return Math.max(this.frames, Math.floor((this.received - stack) / stride) + 1);
  }

  /** Output frames frames .. ends[i] - 1 of each stream (streams of one model: they share its weights and backend). */
  private static runMany(streams: readonly EncoderStream[], ends: readonly number[]): AcousticOutput[] {
    if (streams.length === 0) return [];
    const first = streams[0]!;
    for (const s of streams) {
      if (s.params !== first.params) throw new Error('encoder streams: streams of different models cannot be run together');
    }
    const inputs = streams.map((s, i) => s.stackedInput(ends[i]!));
    const results = lstmStackChunks(first.backend, first.weights, first.lstmConfig, inputs);
    return streams.map((s, i) => s.complete(inputs[i]!.n, results[i]!.output, results[i]!.state));
  }

  /** The stacked inputs [n, frameStack * inputDim] of output frames this.frames .. end - 1, from this stream's state. */
  private stackedInput(end: number): LstmChunk {
    const n = Math.max(0, end - this.frames);
    const { inputDim: F, frameStack: stack, frameStride: stride } = this.config;
    const F2 = F * stack;
    const x = new Float32Array(n * F2);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < stack; i++) {
        const t = (this.frames + j) * stride + i;
        if (t >= this.received) break;
        x.set(this.pending.subarray((t - this.inStart) * F, (t - this.inStart + 1) * F), j * F2 + i * F);
      }
    }
    return { x, n, state: this.state };
  }

  /** Takes the LSTM's outputs of n new frames: the state moves on, the inputs no later frame reads go, the head runs. */
  private complete(n: number, output: Float32Array, state: LstmState): AcousticOutput {
    this.state = state;
    this.frames += n;
    const { inputDim: F, frameStride: stride } = this.config;
    const keep = Math.min(this.received, this.frames * stride);
    this.pending = this.pending.slice((keep - this.inStart) * F);
    this.inStart = keep;
    const D = this.head.outFeatures;
    const data = new Float32Array(n * D);
    if (n > 0) this.head.forward(n, output, data);
    return this.wrap({ data, frames: n, dim: D });
  }
}

/** A model's streams: made here, and run together by {@link EncoderStreams.acceptMany} (only streams made here). */
export class EncoderStreams {
  private readonly own = new WeakSet<AcousticStream>();

  constructor(private readonly make: () => EncoderStream) {}

  create(): EncoderStream {
    const s = this.make();
    this.own.add(s);
    return s;
  }

  /** Each stream's output for its feature chunk, the streams' LSTM steps sharing matrix products. */
  acceptMany(streams: readonly AcousticStream[], features: readonly Features[]): AcousticOutput[] {
    for (const s of streams) if (!this.own.has(s)) throw new Error('acceptStreams: a stream of another model');
    return EncoderStream.acceptMany(streams as readonly EncoderStream[], features);
  }
}
