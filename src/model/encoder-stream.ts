/**
 * The acoustic encoder of a streaming model over a stream of feature frames: frame
 * stacking with its look-ahead of frameStack - 1 input frames, the LSTM stack's state
 * carried from chunk to chunk, and an output layer (the CTC model's `fc`, the transducer's
 * encoder projection) on each new output frame. The stack is unidirectional
 * (nn/lstm-chunk.ts: an output frame per stacked frame) or latency-controlled
 * (nn/lstm-latency-stream.ts: a chunk's frames once its right context has arrived). Memory:
 * the stack's state and at most frameStack input frames, whatever the stream's length.
 */
import type { Backend } from '../backend/index.js';
import type { AcousticOutput, AcousticStream } from '../decode/acoustic-output.js';
import type { Linear } from '../nn/linear.js';
import { lstmStackChunks } from '../nn/lstm-chunk.js';
import type { LatencyControl } from '../nn/lstm-latency-plan.js';
import { type LatencyStreamState, latencyStackChunks, latencyStackWeights, latencyZeroState } from '../nn/lstm-latency-stream.js';
import { type LstmState, lstmStackWeights, lstmZeroState } from '../nn/lstm-step.js';
import type { LstmStackConfig } from '../nn/lstm-stack.js';
import type { Parameters } from '../nn/parameters.js';
import type { Features } from '../util/features.js';
import { type AcousticEncoderConfig, encoderLstmConfig } from './acoustic-encoder.js';
import { isStreamingEncoder } from './config.js';

/** Rows of network output for one stream: `frames` rows of `dim` values. */
export interface OutputRows {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** One stream's new stacked frames for a {@link StackStreamer}: n rows x [n, inputSize], from `state`; `end`: no more will come. */
export interface StackChunk<S> {
  x: Float32Array;
  n: number;
  state: S;
  end: boolean;
}

/**
 * How streams run an encoder's LSTM stack: `S` is a stream's state between chunks. `run`
 * takes several streams' chunks at once (their steps share matrix products) and gives
 * each its last layer's rows of the frames now known, as if alone.
 */
export interface StackStreamer<S> {
  zero(): S;
  run(chunks: readonly StackChunk<S>[]): { output: Float32Array; frames: number; state: S }[];
}

/** A unidirectional stack: every stacked frame's output at once. */
function unidirectionalStreamer(backend: Backend, params: Parameters, prefix: string, cfg: LstmStackConfig): StackStreamer<LstmState> {
  const weights = lstmStackWeights(params, prefix, cfg);
  return {
    zero: () => lstmZeroState(cfg),
    run: (chunks) => lstmStackChunks(backend, weights, cfg, chunks).map((r, i) => ({ ...r, frames: chunks[i]!.n })),
  };
}

/** A latency-controlled stack: each layer's chunks once their right context is in (all of them at the end). */
function latencyStreamer(backend: Backend, params: Parameters, prefix: string, cfg: LstmStackConfig, lc: LatencyControl): StackStreamer<LatencyStreamState> {
  const weights = latencyStackWeights(params, prefix, cfg);
  return {
    zero: () => latencyZeroState(cfg),
    run: (chunks) => latencyStackChunks(backend, weights, cfg, lc, chunks),
  };
}

/** The state of one stream through an encoder and its output layer. */
export class EncoderStream<S = unknown> implements AcousticStream {
  private state: S;
  /** Input frames from index `inStart` on that a later stacked frame still reads. */
  private pending = new Float32Array(0);
  private inStart = 0;
  private received = 0;
  /** Stacked frames through the LSTM stack. */
  private stacked = 0;
  /** Output frames produced. */
  frames = 0;

  constructor(
    private readonly streamer: StackStreamer<S>, readonly config: AcousticEncoderConfig, private readonly head: Linear,
    /** The model's output of a chunk's rows (its kind of {@link AcousticOutput}). */
    private readonly wrap: (rows: OutputRows) => AcousticOutput,
  ) {
    this.state = streamer.zero();
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
   * steps share matrix products, each stream's result as if alone.
   */
  static acceptMany<S>(streams: readonly EncoderStream<S>[], features: readonly Features[]): AcousticOutput[] {
    if (streams.length !== features.length) throw new Error(`encoder streams: ${streams.length} streams, ${features.length} feature chunks`);
    return EncoderStream.runMany(streams, streams.map((s, i) => s.ready(features[i]!)), false);
  }

  /** The input has ended: the output frames left (stacks past the end padded with zeros, as offline). */
  finish(): AcousticOutput {
    return EncoderStream.runMany([this], [Math.ceil(this.received / this.config.frameStride)], true)[0]!;
  }

  /** A new utterance: the zero state, nothing pending. */
  reset(): void {
    this.state = this.streamer.zero();
    this.pending = new Float32Array(0);
    this.inStart = this.received = this.stacked = this.frames = 0;
  }

  /** Takes in feature frames; returns the stacked frame count they make ready. */
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
    // stacked frame j reads inputs j*stride .. j*stride + stack - 1
    return Math.max(this.stacked, Math.floor((this.received - stack) / stride) + 1);
  }

  /** Stacked frames stacked .. ends[i] - 1 of each stream through the stack (streams of one model: they share its streamer). */
  private static runMany<S>(streams: readonly EncoderStream<S>[], ends: readonly number[], end: boolean): AcousticOutput[] {
    if (streams.length === 0) return [];
    const first = streams[0]!;
    for (const s of streams) {
      if (s.streamer !== first.streamer) throw new Error('encoder streams: streams of different models cannot be run together');
    }
    const inputs = streams.map((s, i) => s.stackedInput(ends[i]!, end));
    const results = first.streamer.run(inputs);
    return streams.map((s, i) => s.complete(inputs[i]!.n, results[i]!));
  }

  /** The stacked inputs [n, frameStack * inputDim] of stacked frames this.stacked .. end - 1, from this stream's state. */
  private stackedInput(upTo: number, end: boolean): StackChunk<S> {
    const n = Math.max(0, upTo - this.stacked);
    const { inputDim: F, frameStack: stack, frameStride: stride } = this.config;
    const F2 = F * stack;
    const x = new Float32Array(n * F2);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < stack; i++) {
        const t = (this.stacked + j) * stride + i;
        if (t >= this.received) break;
        x.set(this.pending.subarray((t - this.inStart) * F, (t - this.inStart + 1) * F), j * F2 + i * F);
      }
    }
    return { x, n, state: this.state, end };
  }

  /** Takes the stack's result for n new stacked frames: the state moves on, the inputs no later frame reads go, the head runs on the output rows. */
  private complete(n: number, result: { output: Float32Array; frames: number; state: S }): AcousticOutput {
    this.state = result.state;
    this.stacked += n;
    const { inputDim: F, frameStride: stride } = this.config;
    const keep = Math.min(this.received, this.stacked * stride);
    this.pending = this.pending.slice((keep - this.inStart) * F);
    this.inStart = keep;
    const D = this.head.outFeatures, rows = result.frames;
    this.frames += rows;
    const data = new Float32Array(rows * D);
    if (rows > 0) this.head.forward(rows, result.output, data);
    return this.wrap({ data, frames: rows, dim: D });
  }
}

/**
 * A model's streams: made here, and run together by {@link EncoderStreams.acceptMany} (only
 * streams made here). Throws for an encoder that cannot stream (bidirectional without
 * latency control).
 */
export class EncoderStreams {
  private readonly own = new WeakSet<AcousticStream>();
  private readonly make: () => EncoderStream;

  constructor(
    backend: Backend, params: Parameters, prefix: string, config: AcousticEncoderConfig, head: Linear,
    /** The model's output of a chunk's rows (its kind of {@link AcousticOutput}). */
    wrap: (rows: OutputRows) => AcousticOutput,
  ) {
    if (!isStreamingEncoder(config)) {
      throw new Error('this model has a bidirectional encoder, which needs the whole utterance: only models trained with "bidirectional": false or with "latencyControl" stream (see docs/streaming.md)');
    }
    const cfg = encoderLstmConfig(config);
    const streams = <S>(streamer: StackStreamer<S>) => (): EncoderStream => new EncoderStream(streamer, config, head, wrap);
    this.make = cfg.latencyControl
      ? streams(latencyStreamer(backend, params, prefix, cfg, cfg.latencyControl))
      : streams(unidirectionalStreamer(backend, params, prefix, cfg));
  }

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
