/**
 * A toy transducer for decoder tests: random small matrices, prediction network
 * h' = tanh(E[label] + R h), joint z = Wo tanh(A e + P p) (+ blankBias on the blank). Deterministic from its seed.
 */
import type { EncoderOutput, PredictorStep, TransducerModel } from '../../src/decode/rnnt-model.js';
import { randomArray, rng } from '../helpers/compare.js';

export class ToyTransducer implements TransducerModel<Float32Array> {
  private readonly E: Float32Array; // [V, H]
  private readonly R: Float32Array; // [H, H]
  private readonly A: Float32Array; // [J, D]
  private readonly P: Float32Array; // [J, H]
  private readonly Wo: Float32Array; // [V, J]
  private readonly hidden: Float32Array;
  /** Calls of predict, to check caching. */
  predictCalls = 0;

  constructor(seed: number, readonly vocabSize: number, readonly dim: number, readonly blank = 0,
    private readonly H = 4, private readonly J = 6, sharpness = 2, private readonly blankBias = 0,
    readonly startLabel?: number) {
    const next = rng(seed);
    this.E = randomArray(vocabSize * H, next, 1);
    this.R = randomArray(H * H, next, 0.5);
    this.A = randomArray(J * dim, next, 1);
    this.P = randomArray(J * H, next, 1);
    this.Wo = randomArray(vocabSize * J, next, sharpness);
    this.hidden = new Float32Array(J);
  }

  initialState(): Float32Array {
    return new Float32Array(this.H);
  }

  predict(label: number, h: Float32Array): PredictorStep<Float32Array> {
    this.predictCalls++;
    const out = new Float32Array(this.H);
    for (let i = 0; i < this.H; i++) {
      let s = this.E[label * this.H + i]!;
      for (let j = 0; j < this.H; j++) s += this.R[i * this.H + j]! * h[j]!;
      out[i] = Math.tanh(s);
    }
    return { output: out, state: out };
  }

  joint(e: Float32Array, p: Float32Array): Float32Array {
    for (let j = 0; j < this.J; j++) {
      let s = 0;
      for (let d = 0; d < this.dim; d++) s += this.A[j * this.dim + d]! * e[d]!;
      for (let i = 0; i < this.H; i++) s += this.P[j * this.H + i]! * p[i]!;
      this.hidden[j] = Math.tanh(s);
    }
    const z = new Float32Array(this.vocabSize);
    for (let k = 0; k < this.vocabSize; k++) {
      let s = 0;
      for (let j = 0; j < this.J; j++) s += this.Wo[k * this.J + j]! * this.hidden[j]!;
      z[k] = s;
    }
    z[this.blank]! += this.blankBias;
    return z;
  }
}

/** A random encoder output of `frames` x `dim`. */
export function toyEncoder(seed: number, frames: number, dim: number): EncoderOutput {
  return { data: randomArray(frames * dim, rng(seed), 1.5), frames, dim };
}
