/**
 * Per-utterance mean (and variance) normalisation: every frame of an utterance is
 * normalised by the statistics of the whole utterance. It removes a speaker's or a
 * channel's constant offset completely, but it needs the utterance's last frame before its
 * first can be normalised, so a streaming model cannot use it (sliding-cmvn.ts is the
 * causal alternative).
 */
import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';

/** Options of {@link utteranceCmvn}. */
export interface UtteranceCmvnOptions {
  /** Also divide by the utterance's standard deviation. Default false (mean only). */
  normVars?: boolean;
  /** Variance floor. Default 1e-2 (log-mel units, as slidingCmvn: a silent column has little spread). */
  varianceFloor?: number;
}

/** Checks per-utterance CMVN options; throws naming the bad field. */
export function checkUtteranceCmvn(o: UtteranceCmvnOptions, where: string): void {
  if (o.normVars !== undefined && typeof o.normVars !== 'boolean') throw new Error(`${where}: normVars must be true or false`);
  if (o.varianceFloor !== undefined && !(typeof o.varianceFloor === 'number' && o.varianceFloor > 0)) throw new Error(`${where}: varianceFloor must be positive`);
}

/** A new Features: `f` less its own per-column mean (divided by its own standard deviation with normVars); sums in float64. */
export function utteranceCmvn(f: Features, o: UtteranceCmvnOptions = {}): Features {
  checkFeatures(f, 'utteranceCmvn');
  checkUtteranceCmvn(o, 'utteranceCmvn');
  const { data, frames, dim } = f;
  const sum = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      const v = data[t * dim + d]!;
      sum[d]! += v;
      sumSq[d]! += v * v;
    }
  }
  const floor = o.varianceFloor ?? 1e-2;
  const scale = new Float64Array(dim).fill(1);
  for (let d = 0; d < dim; d++) {
    sum[d]! /= Math.max(frames, 1);
    if (o.normVars) scale[d] = 1 / Math.sqrt(Math.max(sumSq[d]! / Math.max(frames, 1) - sum[d]! * sum[d]!, floor));
  }
  const out = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) out[t * dim + d] = (data[t * dim + d]! - sum[d]!) * scale[d]!;
  }
  return { data: out, frames, dim };
}
