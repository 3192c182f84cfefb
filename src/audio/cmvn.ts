/**
 * Cepstral mean and variance normalisation with statistics gathered over a training set
 * (not per utterance), so that the same affine map is applied at training and inference
 * time; the statistics serialise to JSON to be stored with the model.
 */
import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';

/** The JSON form of {@link Cmvn}. */
export interface CmvnJson {
  type: 'cmvn';
  dim: number;
  frames: number;
  mean: number[];
  /** 1 / standard deviation per column, or null when only the mean is normalised. */
  invStd: number[] | null;
}

/** Accumulates per-column sums over many utterances (float64). */
export class CmvnAccumulator {
  readonly dim: number;
  frames = 0;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;

  constructor(dim: number) {
    if (!Number.isInteger(dim) || dim <= 0) throw new Error(`CmvnAccumulator: bad dim ${dim}`);
    this.dim = dim;
    this.sum = new Float64Array(dim);
    this.sumSq = new Float64Array(dim);
  }

  /** Adds every frame of `features`. */
  accumulate(features: Features): void {
    checkFeatures(features, 'CmvnAccumulator.accumulate');
    if (features.dim !== this.dim) throw new Error(`CmvnAccumulator.accumulate: features have ${features.dim} columns, expected ${this.dim}`);
    const { data, frames, dim } = features;
    for (let t = 0; t < frames; t++) {
      for (let d = 0; d < dim; d++) {
        const v = data[t * dim + d]!;
        if (!Number.isFinite(v)) throw new Error(`CmvnAccumulator.accumulate: non-finite value at frame ${t}, column ${d}`);
        this.sum[d]! += v;
        this.sumSq[d]! += v * v;
      }
    }
    this.frames += frames;
  }

  /** Adds the statistics of another accumulator (e.g. one per worker). */
  merge(other: CmvnAccumulator): void {
    if (other.dim !== this.dim) throw new Error(`CmvnAccumulator.merge: dim ${other.dim} != ${this.dim}`);
    for (let d = 0; d < this.dim; d++) {
      this.sum[d]! += other.sum[d]!;
      this.sumSq[d]! += other.sumSq[d]!;
    }
    this.frames += other.frames;
  }

  /**
   * The normaliser: subtract the mean and, with normVars (default true), divide by the
   * standard deviation, floored at sqrt(varianceFloor) so that a constant column stays finite.
   */
  finalise(options: { normVars?: boolean; varianceFloor?: number } = {}): Cmvn {
    if (this.frames === 0) throw new Error('CmvnAccumulator.finalise: no frames accumulated');
    const normVars = options.normVars ?? true;
    const floor = options.varianceFloor ?? 1e-10;
    const mean = new Float64Array(this.dim);
    const invStd = normVars ? new Float64Array(this.dim) : null;
    for (let d = 0; d < this.dim; d++) {
      const m = this.sum[d]! / this.frames;
      mean[d] = m;
      if (invStd) invStd[d] = 1 / Math.sqrt(Math.max(this.sumSq[d]! / this.frames - m * m, floor));
    }
    return new Cmvn(mean, invStd, this.frames);
  }
}

/** A fitted mean/variance normaliser. */
export class Cmvn {
  constructor(readonly mean: Float64Array, readonly invStd: Float64Array | null, readonly frames: number) {
    if (invStd && invStd.length !== mean.length) throw new Error('Cmvn: mean and invStd differ in length');
  }

  get dim(): number {
    return this.mean.length;
  }

  /** Normalises `features` in place and returns them. */
  apply(features: Features): Features {
    checkFeatures(features, 'Cmvn.apply');
    if (features.dim !== this.dim) throw new Error(`Cmvn.apply: features have ${features.dim} columns, the statistics ${this.dim}`);
    const { data, frames, dim } = features;
    const { mean, invStd } = this;
    for (let t = 0; t < frames; t++) {
      const row = t * dim;
      if (invStd) for (let d = 0; d < dim; d++) data[row + d] = (data[row + d]! - mean[d]!) * invStd[d]!;
      else for (let d = 0; d < dim; d++) data[row + d]! -= mean[d]!;
    }
    return features;
  }

  toJSON(): CmvnJson {
    return { type: 'cmvn', dim: this.dim, frames: this.frames, mean: Array.from(this.mean), invStd: this.invStd ? Array.from(this.invStd) : null };
  }

  /** Restores a normaliser from {@link Cmvn.toJSON}'s output, validating it. */
  static fromJSON(json: unknown): Cmvn {
    const o = json as Partial<CmvnJson> | null;
    const bad = (what: string): never => { throw new Error(`Cmvn.fromJSON: ${what}`); };
    if (!o || typeof o !== 'object' || o.type !== 'cmvn') return bad('not a CMVN object (type "cmvn" expected)');
    const isNums = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!isNums(o.mean) || o.mean.length !== o.dim) return bad(`mean must be ${o.dim} finite numbers`);
    if (o.invStd !== null && (!isNums(o.invStd) || o.invStd.length !== o.dim)) return bad(`invStd must be null or ${o.dim} finite numbers`);
    if (typeof o.frames !== 'number' || !(o.frames >= 0)) return bad('frames must be a non-negative number');
    return new Cmvn(Float64Array.from(o.mean), o.invStd ? Float64Array.from(o.invStd) : null, o.frames);
  }
}
