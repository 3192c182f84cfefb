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
import { lstmStackChunk } from '../nn/lstm-chunk.js';
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
    private readonly backend: Backend, params: Parameters, prefix: string,
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
    const ready = Math.max(this.frames, Math.floor((this.received - stack) / stride) + 1);
    return this.run(ready);
  }

  /** The input has ended: the output frames left (stacks past the end padded with zeros, as offline). */
  finish(): AcousticOutput {
    return this.run(Math.ceil(this.received / this.config.frameStride));
  }

  /** A new utterance: the zero state, nothing pending. */
  reset(): void {
    this.state = lstmZeroState(this.lstmConfig);
    this.pending = new Float32Array(0);
    this.inStart = this.received = this.frames = 0;
  }

  /** Output frames this.frames .. end - 1. */
  private run(end: number): AcousticOutput {
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
    const { output, state } = lstmStackChunk(this.backend, this.weights, this.lstmConfig, x, n, this.state);
    this.state = state;
    this.frames += n;
    const keep = Math.min(this.received, this.frames * stride);
    this.pending = this.pending.slice((keep - this.inStart) * F);
    this.inStart = keep;
    const D = this.head.outFeatures;
    const data = new Float32Array(n * D);
    if (n > 0) this.head.forward(n, output, data);
    return this.wrap({ data, frames: n, dim: D });
  }
}
