import type { Backend } from '../backend/index.js';
import type { AcousticOutput, AcousticStream, CtcOutput, DecodableModel, StreamableModel } from '../decode/acoustic-output.js';
import { getBackend } from '../backend/index.js';
import { Random } from '../math/random.js';
import { Linear, linearParamSpecs } from '../nn/linear.js';
import type { LstmStack } from '../nn/lstm-stack.js';
import type { PackedLayout } from '../nn/packing.js';
import { Parameters, type ParamSpec } from '../nn/parameters.js';
import { Workspace } from '../nn/workspace.js';
import { type CtcModelConfig, type ResolvedCtcModelConfig, isStreamingEncoder, resolveCtcModelConfig } from './config.js';
import { AcousticEncoder, acousticEncoderParamSpecs } from './acoustic-encoder.js';
import { EncoderStreams } from './encoder-stream.js';
import type { Features } from '../util/features.js';
import { packedOutputHeadBackward, packedOutputHeadForward } from './packed-output-head.js';

/** The model's output for one batch. */
export interface CtcModelOutput {
  /** Unnormalised scores [T', B, C], zero at padded frames. */
  logits: Float32Array;
  shape: [number, number, number];
  /** Real output frames per sequence (after subsampling). */
  lengths: Int32Array;
}

/**
 * A CTC acoustic model: frames [T, B, inputDim] -> (stacking/subsampling) -> numLayers
 * (Bi)LSTM layers -> Linear -> logits [T', B, numClasses]. Parameters are named as a
 * PyTorch module holding `lstm = nn.LSTM(...)` and `fc = nn.Linear(...)` would name them
 * (`lstm.weight_ih_l0`, ..., `fc.weight`, `fc.bias`) and live in one {@link Parameters}.
 */
export class CtcModel implements DecodableModel, StreamableModel {
  /** What the decoders get from {@link CtcModel.decodable}. */
  readonly outputKind = 'ctc' as const;
  readonly config: ResolvedCtcModelConfig;
  readonly params: Parameters;
  readonly encoder: AcousticEncoder;
  readonly lstm: LstmStack;
  readonly fc: Linear;
  private readonly scratch: Workspace;
  private last: { layout: PackedLayout; hidden: Float32Array; shape: [number, number, number] } | undefined;

  /** Builds the model with weights drawn from `seed` (PyTorch's default init). */
  constructor(config: CtcModelConfig, options: { backend?: Backend; seed?: number } = {}) {
    this.config = resolveCtcModelConfig(config);
    const backend = options.backend ?? getBackend();
    this.params = new Parameters(CtcModel.paramSpecs(this.config), backend);
    const rng = new Random(options.seed ?? 0);
    this.params.initialize(() => rng.uniform());
    const c = this.config;
    this.encoder = new AcousticEncoder(backend, this.params, 'lstm.', this.config);
    this.lstm = this.encoder.lstm;
    this.fc = new Linear(backend, this.params, 'fc.', this.lstm.outputSize, c.numClasses);
    this.scratch = new Workspace(backend);
  }

  /** The parameters a model with `config` has, in storage order. */
  static paramSpecs(config: CtcModelConfig): ParamSpec[] {
    const c = resolveCtcModelConfig(config);
    const D = c.bidirectional ? 2 : 1;
    return [
      ...acousticEncoderParamSpecs('lstm.', c),
      ...linearParamSpecs('fc.', D * c.hiddenSize, c.numClasses),
    ];
  }

  get backend(): Backend {
    return this.lstm.backend;
  }

  /** Output frames for inputs of the given lengths. */
  outputLengths(lengths: ArrayLike<number>): Int32Array {
    return this.encoder.outputLengths(lengths);
  }

  /**
   * x [T, B, inputDim] with lengths[b] real frames -> logits [T', B, numClasses].
   * With `train` (default), keeps what {@link CtcModel.backward} needs; without, keeps
   * nothing and leaves what the last training forward kept untouched (so evaluating between
   * a training forward and its backward is fine).
   */
  forward(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, train = true): CtcModelOutput {
    const c = this.config;
    const { layout, hidden, frames: T2 } = this.encoder.forward(x, shape, lengths, train, 'CtcModel.forward');
    const logits = packedOutputHeadForward(this.fc, this.scratch, layout, hidden, T2);
    const outShape: [number, number, number] = [T2, layout.B, c.numClasses];
    if (train) this.last = { layout, hidden, shape: outShape }; // inference leaves the training state alone
    return { logits, shape: outShape, lengths: Int32Array.from(layout.lengths) };
  }

  /** Inference: {@link CtcModel.forward} without keeping anything for backward. */
  infer(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcModelOutput {
    return this.forward(x, shape, lengths, false);
  }

  /** The output of a padded batch as the decoders read it (CTC scores). */
  decodable(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcOutput {
    const y = this.infer(x, shape, lengths);
    return { kind: 'ctc', logits: y.logits, shape: y.shape, lengths: y.lengths };
  }

  /**
   * A stream through the model for live audio: feature frames in, logits rows [frames,
   * numClasses] out as each output frame completes, the LSTM state carried across chunks.
   * Needs a streaming encoder ("bidirectional": false, or "latencyControl"); throws for a
   * bidirectional one without latency control.
   */
  get streaming(): boolean {
    return isStreamingEncoder(this.config);
  }

  createStream(): AcousticStream {
    this.streams ??= new EncoderStreams(this.backend, this.params, 'lstm.', this.config, this.fc, (r) => ({
      kind: 'ctc', logits: r.data, shape: [r.frames, 1, r.dim], lengths: [r.frames],
    }));
    return this.streams.create();
  }

  acceptStreams(streams: readonly AcousticStream[], features: readonly Features[]): AcousticOutput[] {
    if (!this.streams) throw new Error('acceptStreams: no stream of this model was created');
    return this.streams.acceptMany(streams, features);
  }

  private streams: EncoderStreams | undefined;

  /**
   * Backward from d loss / d logits [T', B, numClasses] (of the last training forward);
   * accumulates into params.grad (call params.zeroGrad() first). Padded frames are ignored.
   */
  backward(dLogits: Float32Array): void {
    const last = this.last;
    if (!last) throw new Error('CtcModel.backward: no training forward pass to go back through');
    const [T2, B, C] = last.shape;
    if (dLogits.length !== T2 * B * C) throw new Error(`CtcModel.backward: dLogits has ${dLogits.length} values, expected ${T2 * B * C}`);
    this.encoder.backward(packedOutputHeadBackward(this.fc, this.scratch, last.layout, last.hidden, dLogits));
  }

  /**
   * Gives every buffer (activations, scratch, parameters) back to the backend, which for
   * WASM is the only way its memory is reused. The model must not be used afterwards.
   */
  dispose(): void {
    this.encoder.release();
    this.scratch.release();
    this.params.dispose();
    this.last = undefined;
  }
}
