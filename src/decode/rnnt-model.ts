/**
 * What the RNN-T decoders need from a transducer, and nothing more: a prediction network
 * stepped one label at a time and a joint network over (encoder frame, prediction output).
 * Any model (sayre's own, or weights from elsewhere) can be decoded through it.
 */
import { logSoftmaxRow } from '../math/log-softmax.js';

/** One step of the prediction network: its output vector and the state after the step. */
export interface PredictorStep<S> {
  /** Prediction-network output; decoders keep it, so it must not be modified later. */
  output: Float32Array;
  state: S;
}

/** A transducer as the decoders see it; S is the prediction network's state type. */
export interface TransducerModel<S = unknown> {
  /** Size of the joint network's output: the labels plus blank. */
  readonly vocabSize: number;
  /** Index of blank among the joint's outputs. */
  readonly blank: number;
  /** The label fed to the prediction network first (the start symbol). Default: blank. */
  readonly startLabel?: number;
  /** The prediction network's state before any label. */
  initialState(): S;
  /** Feeds `label` (the previous non-blank label, or the start symbol) to the prediction network. */
  predict(label: number, state: S): PredictorStep<S>;
  /**
   * Optional batched {@link predict}: one step for each (labels[i], states[i]) pair,
   * computed together (the beam searches step every new hypothesis of a frame with it).
   */
  predictBatch?(labels: ArrayLike<number>, states: readonly S[]): PredictorStep<S>[];
  /**
   * Joint network: unnormalised scores over the vocabSize outputs for one encoder frame
   * and one prediction output. May return a reused buffer: decoders read it at once.
   */
  joint(encoderFrame: Float32Array, predictorOutput: Float32Array): Float32Array;
  /**
   * Optional batched joint: the scores for one encoder frame and n prediction outputs,
   * [n, vocabSize] row-major (the projection of the frame is then shared, and the rest is
   * one matrix product). The modified beam search scores its whole beam with it.
   */
  jointBatch?(encoderFrame: Float32Array, predictorOutputs: readonly Float32Array[]): Float32Array;
}

/** Encoder output of one utterance: `frames` rows of `dim` values, row-major. */
export interface EncoderOutput {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** Checks an encoder output's shape (decoders call it first). */
export function checkEncoderOutput(enc: EncoderOutput, who: string): void {
  if (!Number.isInteger(enc.frames) || enc.frames < 0 || !Number.isInteger(enc.dim) || enc.dim < 1) {
    throw new Error(`${who}: encoder output needs integer frames >= 0 and dim >= 1, got ${enc.frames} x ${enc.dim}`);
  }
  if (enc.data.length !== enc.frames * enc.dim) {
    throw new Error(`${who}: encoder output holds ${enc.data.length} values, not frames x dim = ${enc.frames} x ${enc.dim}`);
  }
}

/** Row t of the encoder output (a view, no copy). */
export function encoderFrame(enc: EncoderOutput, t: number): Float32Array {
  return enc.data.subarray(t * enc.dim, (t + 1) * enc.dim);
}

/**
 * log-softmax of the joint network's output into `out` (float64, vocabSize long).
 * Throws where the joint returns the wrong size or a NaN / +Infinity score.
 */
export function jointLogProbs<S>(
  model: TransducerModel<S>, frame: Float32Array, pred: Float32Array, out: Float64Array, t: number,
): Float64Array {
  const z = model.joint(frame, pred);
  if (z.length !== model.vocabSize) {
    throw new Error(`transducer joint returned ${z.length} scores at frame ${t}, expected vocabSize ${model.vocabSize}`);
  }
  return logSoftmaxChecked(z, 0, out, t);
}

/** Like {@link jointLogProbs} for several prediction outputs, through jointBatch where the model has it. */
export function jointLogProbsBatch<S>(
  model: TransducerModel<S>, frame: Float32Array, preds: readonly Float32Array[], t: number,
): Float64Array[] {
  const V = model.vocabSize;
  if (!model.jointBatch) return preds.map((p) => jointLogProbs(model, frame, p, new Float64Array(V), t));
  const z = model.jointBatch(frame, preds);
  if (z.length !== preds.length * V) {
    throw new Error(`transducer jointBatch returned ${z.length} scores at frame ${t}, expected ${preds.length} x vocabSize ${V}`);
  }
  return preds.map((_, i) => logSoftmaxChecked(z, i * V, new Float64Array(V), t));
}

function logSoftmaxChecked(z: Float32Array, off: number, out: Float64Array, t: number): Float64Array {
  const lse = logSoftmaxRow(z, off, out.length, out, 0);
  if (!(lse > -Infinity && lse < Infinity)) throw new Error(`transducer joint returned NaN or infinite scores at frame ${t}`);
  return out;
}

/** Index of the largest value (the first one on ties). */
export function argmax(xs: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < xs.length; k++) if (xs[k]! > xs[best]!) best = k;
  return best;
}

/**
 * The label prefixes of one utterance's search as small integer ids (0: the empty prefix),
 * with their prediction-network steps computed once each, on demand, so that hypotheses
 * that share a prefix run the network once. Ids compare cheaply where strings of labels
 * would grow with the hypothesis.
 */
export class PrefixTree<S> {
  /** Parent id, last label and number of labels of each prefix. */
  private readonly parents: number[] = [-1];
  private readonly labels: number[] = [-1];
  private readonly depths: number[] = [0];
  private readonly children = new Map<number, number>();
  private readonly steps: (PredictorStep<S> | undefined)[];

  constructor(private readonly model: TransducerModel<S>) {
    this.steps = [model.predict(model.startLabel ?? model.blank, model.initialState())];
  }

  /** The id of prefix `id` extended by `label` (created on first use). */
  child(id: number, label: number): number {
    const key = id * this.model.vocabSize + label;
    let c = this.children.get(key);
    if (c === undefined) {
      c = this.parents.length;
      this.parents.push(id);
      this.labels.push(label);
      this.depths.push(this.depths[id]! + 1);
      this.steps.push(undefined);
      this.children.set(key, c);
    }
    return c;
  }

  /** Number of labels of a prefix. */
  depth(id: number): number {
    return this.depths[id]!;
  }

  /** The last label of a prefix (-1 for the empty one). */
  label(id: number): number {
    return this.labels[id]!;
  }

  /** The prefix's ancestors from the empty prefix to itself (depth + 1 ids). */
  path(id: number): number[] {
    const out: number[] = new Array(this.depths[id]! + 1);
    for (let i = out.length - 1; i >= 0; i--, id = this.parents[id]!) out[i] = id;
    return out;
  }

  /** The labels of a prefix. */
  tokens(id: number): number[] {
    return this.path(id).slice(1).map((p) => this.labels[p]!);
  }

  /** Whether `p` is a prefix of (or equal to) `y`. */
  isPrefix(p: number, y: number): boolean {
    const d = this.depths[p]!;
    while (this.depths[y]! > d) y = this.parents[y]!;
    return y === p;
  }

  /** The prediction-network step after prefix `id`. */
  step(id: number): PredictorStep<S> {
    let s = this.steps[id];
    if (!s) {
      s = this.model.predict(this.labels[id]!, this.step(this.parents[id]!).state);
      this.steps[id] = s;
    }
    return s;
  }

  /** Computes the steps of the prefixes `ids` not computed yet, together (predictBatch) where the model can. */
  prepare(ids: readonly number[]): void {
    const predictBatch = this.model.predictBatch;
    if (!predictBatch) return;
    const todo = [...new Set(ids.filter((id) => !this.steps[id]))];
    if (todo.length < 2) return;
    // parents first (they almost always are: a new prefix's parent was in the last frame's beam)
    const states = todo.map((id) => this.step(this.parents[id]!).state);
    const steps = predictBatch.call(this.model, todo.map((id) => this.labels[id]!), states);
    todo.forEach((id, i) => { this.steps[id] = steps[i]!; });
  }
}
