import type { Backend } from '../backend/index.js';
import type { AcousticOutput, AcousticStream, DecodableModel, StreamableModel, TransducerOutput } from '../decode/acoustic-output.js';
import { createBackend, getBackend } from '../backend/index.js';
import type { EncoderOutput, PredictorStep, TransducerModel } from '../decode/rnnt-model.js';
import { Random } from '../math/random.js';
import { embeddingBackwardOn, embeddingForward, embeddingParamSpecs } from '../nn/embedding.js';
import { Linear, linearParamSpecs } from '../nn/linear.js';
import { LstmStack, type LstmStackConfig, lstmStackParamSpecs } from '../nn/lstm-stack.js';
import { type LstmLayerWeights, type LstmState, lstmStackStepBatch, lstmStackWeights, lstmZeroState } from '../nn/lstm-step.js';
import { fastTanh } from '../math/tanh.js';
import { type PackedLayout, packIndex, packedLayout, unpackIndex } from '../nn/packing.js';
import { Parameters, type ParamSpec } from '../nn/parameters.js';
import { Workspace } from '../nn/workspace.js';
import type { LossFunction, TrainableModel } from './trainable.js';
import { AcousticEncoder, acousticEncoderParamSpecs } from './acoustic-encoder.js';
import { EncoderStreams } from './encoder-stream.js';
import type { Features } from '../util/features.js';
import type { CtcModelOutput } from './ctc-model.js';
import { JOINT_CHUNK_ROWS, type JointDims, jointBackward, jointForward } from './transducer-joint.js';
import { jointBackwardDevice, jointForwardDevice } from './transducer-joint-device.js';
import { packedOutputHeadBackward, packedOutputHeadForward } from './packed-output-head.js';
import { transducerDeviceLoss } from './transducer-device-loss.js';
import { isStreamingEncoder } from './config.js';
import { type ResolvedTransducerModelConfig, type TransducerModelConfig, resolveTransducerModelConfig } from './transducer-config.js';
import { type TransducerObjectiveOptions, transducerObjective } from './transducer-objective.js';

/** The prediction network's output for a batch of label sequences (see {@link RnntModel.predictionForward}). */
export interface PredictionPass {
  /** Projected outputs [B, U1, J]: position u has seen the start symbol and labels 1..u. */
  predP: Float32Array;
  /** One more than the longest target. */
  U1: number;
  /** The packed layout over label positions, and the fed labels in packed row order. */
  layout: PackedLayout;
  ids: Int32Array;
  /** The LSTM's output rows [N, predHiddenSize] (its buffer: valid until its next pass of the same kind). */
  hidden: Float32Array;
  /** Whether backward may follow. */
  train: boolean;
}

/**
 * Layer 0's input gates of the prediction network per label (embedding W_ih^T + biases),
 * filled in as labels are first fed: the states of one utterance share one table, made by
 * {@link RnntModel.initialState} (so weights updated between utterances are picked up).
 */
export interface LabelInputGates {
  /** [numClasses, 4 predHiddenSize]. */
  rows: Float32Array;
  /** Whether each label's row is filled in. */
  ready: Uint8Array;
}

/** The prediction network's state for the decoders: the LSTM's, and the utterance's input-gate table. */
export interface PredictorState extends LstmState {
  readonly inputGates: LabelInputGates;
}

/** A joint pass kept for {@link RnntModel.jointBackward}. */
export interface JointPass {
  /** [B, T, U1, V], zero at padded frames. */
  logits: Float32Array;
  dims: JointDims;
  frames: Int32Array;
  encP: Float32Array;
  pred: PredictionPass;
}

/**
 * An RNN Transducer (Graves 2012; Graves, Mohamed & Hinton 2013): see
 * {@link TransducerModelConfig}. Parameters, in one {@link Parameters}, are named as
 * PyTorch modules would name them: the encoder `lstm.*` (as CtcModel's, so that a CTC
 * checkpoint can initialise it), `pred.embed.weight`, `pred.lstm.*`, `joint.enc.*`,
 * `joint.pred.weight` (no bias: joint.enc's is enough), `joint.out.*`.
 *
 * Training goes through the Trainer: {@link RnntModel.forward} returns the encoder's
 * projection [T', B, J] in place of logits, and the model's {@link RnntModel.objective}
 * runs the prediction network, the joint network and rnntLoss on it, backpropagates
 * through the prediction and joint networks, and hands d loss / d projection to
 * {@link RnntModel.backward}. Decoding goes through the {@link TransducerModel} interface
 * with {@link RnntModel.encode}'s outputs.
 */
export class RnntModel implements DecodableModel, StreamableModel, TransducerModel<PredictorState>, TrainableModel {
  /** What the decoders get from {@link RnntModel.decodable}. */
  readonly outputKind = 'transducer' as const;
  readonly config: ResolvedTransducerModelConfig;
  readonly params: Parameters;
  readonly encoder: AcousticEncoder;
  readonly encProj: Linear;
  readonly predLstm: LstmStack;
  readonly predProj: Linear;
  readonly out: Linear;
  readonly vocabSize: number;
  readonly blank: number;
  /** Blank's embedding row stands for the start symbol. */
  readonly startLabel: number;
  private readonly scratch: Workspace;
  private readonly saved: Workspace;
  private last: { layout: PackedLayout; hidden: Float32Array; output: Float32Array; shape: [number, number, number] } | undefined;
  private jointHidden: Float32Array;
  private readonly predWeights: LstmLayerWeights[];
  private jointOut: Float32Array;

  /** Builds the model with weights drawn from `seed` (PyTorch's default init). */
  constructor(config: TransducerModelConfig, options: { backend?: Backend; seed?: number } = {}) {
    this.config = resolveTransducerModelConfig(config);
    const c = this.config;
    const backend = options.backend ?? getBackend();
    this.params = new Parameters(RnntModel.paramSpecs(c), backend);
    const rng = new Random(options.seed ?? 0);
    this.params.initialize(() => rng.uniform());
    this.encoder = new AcousticEncoder(backend, this.params, 'lstm.', c);
    this.encProj = new Linear(backend, this.params, 'joint.enc.', this.encoder.outputSize, c.jointDim);
    this.predLstm = new LstmStack(backend, this.params, 'pred.lstm.', predLstmConfig(c));
    this.predProj = new Linear(backend, this.params, 'joint.pred.', c.predHiddenSize, c.jointDim);
    this.out = new Linear(backend, this.params, 'joint.out.', c.jointDim, c.numClasses);
    this.vocabSize = c.numClasses;
    this.blank = c.blank;
    this.startLabel = c.blank;
    this.scratch = new Workspace(backend);
    this.saved = new Workspace(backend);
    this.jointHidden = new Float32Array(c.jointDim);
    this.predWeights = lstmStackWeights(this.params, 'pred.lstm.', predLstmConfig(c));
    this.jointOut = new Float32Array(c.numClasses);
  }

  /** The parameters a model with `config` has, in storage order. */
  static paramSpecs(config: TransducerModelConfig): ParamSpec[] {
    const c = resolveTransducerModelConfig(config);
    const D = c.bidirectional ? 2 : 1;
    return [
      ...acousticEncoderParamSpecs('lstm.', c),
      ...embeddingParamSpecs('pred.embed.', c.numClasses, c.predEmbedDim),
      ...lstmStackParamSpecs('pred.lstm.', predLstmConfig(c)),
      ...linearParamSpecs('joint.enc.', D * c.hiddenSize, c.jointDim),
      ...linearParamSpecs('joint.pred.', c.predHiddenSize, c.jointDim, false),
      ...linearParamSpecs('joint.out.', c.jointDim, c.numClasses),
    ];
  }

  get backend(): Backend {
    return this.encoder.lstm.backend;
  }

  /** Output frames for inputs of the given lengths. */
  outputLengths(lengths: ArrayLike<number>): Int32Array {
    return this.encoder.outputLengths(lengths);
  }

  /**
   * x [T, B, inputDim] -> the encoder's projection into the joint space, [T', B, jointDim]
   * (zero at padded frames), returned as `logits` so that the Trainer can carry it to
   * {@link RnntModel.objective}. With `train` (default), keeps what backward needs.
   */
  forward(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, train = true): CtcModelOutput {
    const J = this.config.jointDim;
    const { layout, hidden, frames: T2 } = this.encoder.forward(x, shape, lengths, train, 'RnntModel.forward');
    const output = packedOutputHeadForward(this.encProj, this.scratch, layout, hidden, T2);
    const outShape: [number, number, number] = [T2, layout.B, J];
    if (train) this.last = { layout, hidden, output, shape: outShape };
    return { logits: output, shape: outShape, lengths: Int32Array.from(layout.lengths) };
  }

  /** Inference: {@link RnntModel.forward} without keeping anything for backward. */
  infer(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcModelOutput {
    return this.forward(x, shape, lengths, false);
  }

  /** True when `output` is what the last training forward returned (so backward may follow). */
  isTrainingOutput(output: Float32Array): boolean {
    return this.last?.output === output;
  }

  /**
   * Backward from d loss / d encoder projection [T', B, jointDim] (of the last training
   * forward); accumulates into params.grad. Padded frames are ignored.
   */
  backward(dProj: Float32Array): void {
    const last = this.last;
    if (!last) throw new Error('RnntModel.backward: no training forward pass to go back through');
    const [T2, B, J] = last.shape;
    if (dProj.length !== T2 * B * J) throw new Error(`RnntModel.backward: gradient has ${dProj.length} values, expected ${T2 * B * J}`);
    this.encoder.backward(packedOutputHeadBackward(this.encProj, this.scratch, last.layout, last.hidden, dProj));
  }

  /**
   * The training loss for the Trainer: prediction + joint networks and rnntLoss (see
   * transducer-objective.ts), with a device form for webgpu (transducer-device-loss.ts).
   */
  objective(options: TransducerObjectiveOptions = {}): LossFunction {
    const loss = transducerObjective(this, options);
    loss.device = transducerDeviceLoss(this, options.reduction ?? 'mean');
    return loss;
  }

  /**
   * The prediction network over a batch of label sequences: position u of sequence b is fed
   * the start symbol (u = 0) or label u - 1 -> embedding -> LSTM -> projection,
   * predP [B, U1, jointDim] with U1 = longest target + 1 (zero past each sequence's end).
   */
  predictionForward(targets: readonly ArrayLike<number>[], train: boolean): PredictionPass {
    const c = this.config, J = c.jointDim, E = c.predEmbedDim;
    const B = targets.length;
    const lens = targets.map((y) => y.length + 1);
    const U1 = lens.reduce((a, b) => Math.max(a, b), 1);
    const layout = packedLayout(U1, lens);
    const ids = new Int32Array(layout.total);
    for (let u = 0; u < U1; u++) {
      for (let r = 0; r < layout.batchSizes[u]!; r++) {
        const y = targets[layout.order[r]!]!;
        const id = u === 0 ? this.startLabel : y[u - 1]!;
        if (u > 0 && (id === c.blank || !Number.isInteger(id) || id < 0 || id >= c.numClasses)) {
          throw new Error(`RnntModel: target ${layout.order[r]}, position ${u - 1}: label ${id} must be an integer in [0, ${c.numClasses}) other than blank ${c.blank}`);
        }
        ids[layout.offsets[u]! + r] = id;
      }
    }
    const N = layout.total;
    // The LSTM keeps its training input by reference until backward.
    const emb = train ? this.saved.get('emb', N * E) : this.scratch.get('emb', N * E);
    const be = this.backend;
    be.gatherRows(E, this.params.value('pred.embed.weight'), ids, emb); // the ids were checked above
    const h = this.predLstm.forwardPacked(layout, emb, train);
    const proj = this.scratch.get('predproj', N * J);
    this.predProj.forward(N, h, proj);
    const predP = be.array(B * U1 * J);
    be.gatherRows(J, proj, unpackIndex(layout, true), predP);
    return { predP, U1, layout, ids, hidden: h, train };
  }

  /** Backward of a training {@link RnntModel.predictionForward} from dPredP [B, U1, jointDim]; accumulates parameter gradients. */
  predictionBackward(pred: PredictionPass, dPredP: Float32Array): void {
    if (!pred.train) throw new Error('RnntModel.predictionBackward: the prediction pass was not a training one');
    const c = this.config, J = c.jointDim, { layout, U1 } = pred;
    const N = layout.total;
    if (dPredP.length < layout.B * U1 * J) throw new Error(`RnntModel.predictionBackward: dPredP has ${dPredP.length} values, expected ${layout.B * U1 * J}`);
    const dProj = this.scratch.get('dpredproj', N * J);
    this.backend.gatherRows(J, dPredP, packIndex(layout, true), dProj);
    const dH = this.scratch.get('dpredhidden', N * c.predHiddenSize);
    this.predProj.backward(N, pred.hidden, dProj, dH);
    const dEmb = this.predLstm.backwardPacked(dH, true)!;
    embeddingBackwardOn(this.backend, c.numClasses, c.predEmbedDim, pred.ids, dEmb, this.params.gradient('pred.embed.weight'));
  }

  /**
   * Joint network: encP [T', B, jointDim] (from forward) and a prediction pass ->
   * logits [B, T', U1, numClasses] for rnntLoss (zero at padded frames).
   */
  jointLogits(encP: Float32Array, shape: readonly [number, number, number], frames: ArrayLike<number>, pred: PredictionPass): JointPass {
    const [T, B, J] = shape;
    const c = this.config;
    if (J !== c.jointDim || encP.length !== T * B * J) throw new Error(`RnntModel.jointLogits: encoder projection of shape [${shape.join(', ')}] does not match jointDim ${c.jointDim}`);
    if (pred.predP.length !== B * pred.U1 * J) throw new Error(`RnntModel.jointLogits: ${pred.predP.length / (pred.U1 * J)} label sequences for a batch of ${B}`);
    const dims: JointDims = { B, T, U1: pred.U1, J, V: c.numClasses };
    const f = Int32Array.from(frames);
    const be = this.backend;
    if (be.onDevice) {
      const logits = be.array(B * T * pred.U1 * c.numClasses);
      const hidden = this.scratch.get('jointhidden', B * T * pred.U1 * J);
      jointForwardDevice(be, dims, f, pred.layout.lengths, encP, pred.predP, this.out.weight, this.out.bias!, logits, hidden);
      return { logits, dims, frames: f, encP, pred };
    }
    const logits = new Float32Array(B * T * pred.U1 * c.numClasses);
    const rows = Math.max(JOINT_CHUNK_ROWS, pred.U1);
    const hidden = this.scratch.get('jointhidden', rows * J), block = this.scratch.get('jointblock', rows * c.numClasses);
    jointForward(this.backend, dims, f, pred.layout.lengths, encP, pred.predP, this.out.weight, this.out.bias!, logits, hidden, block);
    return { logits, dims, frames: f, encP, pred };
  }

  /**
   * Backward of {@link RnntModel.jointLogits} from dLogits [B, T', U1, numClasses], through
   * the prediction network too: accumulates parameter gradients and returns d loss / d encP
   * [T', B, jointDim] (a new array, for {@link RnntModel.backward}).
   */
  jointBackward(pass: JointPass, dLogits: Float32Array): Float32Array {
    const { dims } = pass;
    const { B, T, U1, J } = dims;
    const be = this.backend;
    if (be.onDevice) {
      const n = B * T * U1 * J;
      const dEncP = be.array(T * B * J), dPredP = this.scratch.get('dpredp', B * U1 * J);
      jointBackwardDevice(be, dims, pass.frames, pass.pred.layout.lengths, pass.encP, pass.pred.predP, this.out.weight, dLogits,
        this.out.dWeight, this.out.dBias!, dEncP, dPredP, this.scratch.get('jointhidden', n), this.scratch.get('djointhidden', n));
      this.predictionBackward(pass.pred, dPredP);
      return dEncP;
    }
    const rows = Math.max(JOINT_CHUNK_ROWS, U1);
    const hidden = this.scratch.get('jointhidden', rows * J), dHidden = this.scratch.get('djointhidden', rows * J);
    const block = this.scratch.get('jointblock', rows * dims.V);
    const dEncP = new Float32Array(T * B * J);
    const dPredP = this.scratch.get('dpredp', B * U1 * J);
    jointBackward(this.backend, dims, pass.frames, pass.pred.layout.lengths, pass.encP, pass.pred.predP, this.out.weight, dLogits,
      this.out.dWeight, this.out.dBias!, dEncP, dPredP, hidden, dHidden, block);
    this.predictionBackward(pass.pred, dPredP);
    return dEncP;
  }

  /** The encoder projections of a batch, one {@link EncoderOutput} per utterance, for the decoders. */
  encode(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): EncoderOutput[] {
    return RnntModel.splitOutput(this.infer(x, shape, lengths));
  }

  /** The output of a padded batch as the decoders read it: encoder frames and this model's prediction and joint networks. */
  decodable(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): TransducerOutput {
    return { kind: 'transducer', model: this, encoded: this.encode(x, shape, lengths) };
  }

  /**
   * {@link RnntModel.decodable} on any backend. On a device backend (webgpu) the encoder
   * runs there and its projections [T', B, J] come back in one read-back; the greedy or
   * beam search then runs on the host, through {@link RnntModel.onHost}'s copy of the
   * model (the prediction and joint networks step label by label, each step depending on
   * the last argmax, so the device would need a read-back per step).
   */
  async decodableAsync(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): Promise<TransducerOutput> {
    const be = this.backend;
    if (!be.onDevice) return this.decodable(x, shape, lengths);
    const host = await this.onHost();
    const y = this.infer(x, shape, lengths);
    await be.read(y.logits); // the batch's one read-back
    return { kind: 'transducer', model: host, encoded: RnntModel.splitOutput(y) };
  }

  /**
   * This model where the host can run it: itself on a CPU backend; on a device backend, a
   * copy on the js backend whose weights are read back (one read-back) the first time, or
   * again with `fresh` (after training changed them on the device).
   */
  async onHost(fresh = false): Promise<RnntModel> {
    const be = this.backend;
    if (!be.onDevice) return this;
    if (this.hostCopy && !fresh) return this.hostCopy;
    await be.read(this.params.data);
    this.hostCopy ??= new RnntModel(this.config, { backend: createBackend('js') });
    this.hostCopy.params.data.set(this.params.data);
    return this.hostCopy;
  }

  private hostCopy: RnntModel | undefined;

  /**
   * A stream through the encoder for live audio: feature frames in, encoder projections
   * [frames, jointDim] (what {@link RnntModel.encode} gives offline) out as each output
   * frame completes. Needs a streaming encoder (unidirectional or latency-controlled);
   * throws for a bidirectional one without latency control.
   */
  get streaming(): boolean {
    return isStreamingEncoder(this.config);
  }

  createStream(): AcousticStream {
    this.streams ??= new EncoderStreams(this.backend, this.params, 'lstm.', this.config, this.encProj, (r) => ({
      kind: 'transducer', model: this, encoded: [r],
    }));
    return this.streams.create();
  }

  acceptStreams(streams: readonly AcousticStream[], features: readonly Features[]): AcousticOutput[] {
    if (!this.streams) throw new Error('acceptStreams: no stream of this model was created');
    return this.streams.acceptMany(streams, features);
  }

  private streams: EncoderStreams | undefined;

  /** A forward output [T', B, J] cut into one {@link EncoderOutput} per utterance (copies). */
  static splitOutput(y: CtcModelOutput): EncoderOutput[] {
    const [, B, J] = y.shape;
    const outs: EncoderOutput[] = [];
    for (let b = 0; b < B; b++) {
      const n = y.lengths[b]!;
      const data = new Float32Array(n * J);
      for (let t = 0; t < n; t++) data.set(y.logits.subarray((t * B + b) * J, (t * B + b + 1) * J), t * J);
      outs.push({ data, frames: n, dim: J });
    }
    return outs;
  }

  /** The prediction network's state before any label, with an empty table of per-label input gates for the utterance. */
  initialState(): PredictorState {
    const G = 4 * this.config.predHiddenSize;
    return { ...lstmZeroState(predLstmConfig(this.config)), inputGates: { rows: new Float32Array(this.vocabSize * G), ready: new Uint8Array(this.vocabSize) } };
  }

  predict(label: number, state: PredictorState): PredictorStep<PredictorState> {
    return this.predictBatch([label], [state])[0]!;
  }

  /** {@link predict} for several (label, state) pairs at once: one matrix product per weight instead of one per pair. */
  predictBatch(labels: ArrayLike<number>, states: readonly PredictorState[]): PredictorStep<PredictorState>[] {
    const c = this.config, J = c.jointDim, G = 4 * c.predHiddenSize, n = states.length;
    const gates = new Float32Array(n * G);
    for (let i = 0; i < n; i++) gates.set(this.inputGatesOf(labels[i]!, states[i]!.inputGates), i * G);
    const next = lstmStackStepBatch(this.backend, this.predWeights, predLstmConfig(c), gates, states, gates);
    const top = c.predNumLayers - 1;
    const h = n === 1 ? next[0]!.h[top]! : new Float32Array(n * c.predHiddenSize);
    if (n > 1) next.forEach((s, i) => h.set(s.h[top]!, i * c.predHiddenSize));
    const output = new Float32Array(n * J);
    this.predProj.forward(n, h, output);
    return next.map((s, i) => ({
      output: n === 1 ? output : output.subarray(i * J, (i + 1) * J),
      state: { h: s.h, c: s.c, inputGates: states[i]!.inputGates },
    }));
  }

  /** Layer 0's input gates for `label` (embedding W_ih^T + both biases), computed once per utterance. */
  private inputGatesOf(label: number, table: LabelInputGates): Float32Array {
    const c = this.config, E = c.predEmbedDim, G = 4 * c.predHiddenSize;
    if (!Number.isInteger(label) || label < 0 || label >= this.vocabSize) throw new Error(`RnntModel.predict: label ${label} is not in [0, ${this.vocabSize})`);
    const row = table.rows.subarray(label * G, (label + 1) * G);
    if (!table.ready[label]) {
      const emb = new Float32Array(E);
      embeddingForward(c.numClasses, E, this.params.value('pred.embed.weight'), [label], emb);
      const { wIh, bIh, bHh } = this.predWeights[0]!;
      for (let j = 0; j < G; j++) row[j] = bIh[j]! + bHh[j]!;
      this.backend.gemm(false, true, 1, G, E, 1, emb, E, wIh, E, 1, row, G);
      table.ready[label] = 1;
    }
    return row;
  }

  joint(encoderFrame: Float32Array, predictorOutput: Float32Array): Float32Array {
    return this.jointBatch(encoderFrame, [predictorOutput]);
  }

  /** The joint network's scores [n, numClasses] (a buffer reused by the next call) for one frame and n prediction outputs. */
  jointBatch(encoderFrame: Float32Array, predictorOutputs: readonly Float32Array[]): Float32Array {
    const J = this.config.jointDim, V = this.vocabSize, n = predictorOutputs.length;
    if (this.jointHidden.length < n * J) {
      this.jointHidden = new Float32Array(n * J);
      this.jointOut = new Float32Array(n * V);
    }
    const h = this.jointHidden;
    for (let i = 0; i < n; i++) {
      const p = predictorOutputs[i]!;
      // tanh dominates the joint's cost: a float32-accurate approximation (as in the training pass, transducer-joint.ts)
      for (let j = 0; j < J; j++) h[i * J + j] = fastTanh(encoderFrame[j]! + p[j]!);
    }
    const z = this.jointOut.subarray(0, n * V);
    this.out.forward(n, h, z);
    return z;
  }

  /** Gives every buffer (activations, scratch, parameters) back to the backend; the model must not be used afterwards. */
  dispose(): void {
    this.encoder.release();
    this.predLstm.releaseBuffers();
    this.scratch.release();
    this.saved.release();
    this.params.dispose();
    this.last = undefined;
  }
}

/** The prediction network's LSTM stack. */
function predLstmConfig(c: ResolvedTransducerModelConfig): LstmStackConfig {
  return { inputSize: c.predEmbedDim, hiddenSize: c.predHiddenSize, numLayers: c.predNumLayers, bidirectional: false };
}
