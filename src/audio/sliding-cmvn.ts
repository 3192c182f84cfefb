/**
 * Causal sliding-window mean (and variance) normalisation: each frame is normalised by the
 * statistics of itself and the frames before it, at most `window` of them. Unlike global
 * CMVN it follows a new speaker or channel; unlike per-utterance normalisation it needs
 * no look-ahead, so a streaming model can use it too.
 */
import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';

/** Options of {@link slidingCmvn}. */
export interface SlidingCmvnOptions {
  /** Frames in the window (the current one and those before it). */
  window: number;
  /** Also divide by the window's standard deviation. Default false (mean only). */
  normVars?: boolean;
  /** Variance floor. Default 1e-2 (log-mel units; the first frames of a window have little spread). */
  varianceFloor?: number;
}

/** Checks sliding-CMVN options; throws naming the bad field. */
export function checkSlidingCmvn(o: SlidingCmvnOptions, where: string): void {
  if (!Number.isInteger(o.window) || o.window < 1) throw new Error(`${where}: window must be an integer >= 1, got ${JSON.stringify(o.window)}`);
  if (o.normVars !== undefined && typeof o.normVars !== 'boolean') throw new Error(`${where}: normVars must be true or false`);
  if (o.varianceFloor !== undefined && !(o.varianceFloor > 0)) throw new Error(`${where}: varianceFloor must be positive`);
}

/** A new Features: `f` normalised causally over a sliding window (running sums in float64). */
export function slidingCmvn(f: Features, o: SlidingCmvnOptions): Features {
  checkFeatures(f, 'slidingCmvn');
  checkSlidingCmvn(o, 'slidingCmvn');
  const { data, frames, dim } = f;
  const floor = o.varianceFloor ?? 1e-2;
  const sum = new Float64Array(dim);
  const sumSq = new Float64Array(dim);
  const out = new Float32Array(data.length);
  for (let t = 0; t < frames; t++) {
    for (let d = 0; d < dim; d++) {
      const v = data[t * dim + d]!;
      sum[d]! += v;
      sumSq[d]! += v * v;
    }
    const old = t - o.window;
    if (old >= 0) {
      for (let d = 0; d < dim; d++) {
        const v = data[old * dim + d]!;
        sum[d]! -= v;
        sumSq[d]! -= v * v;
      }
    }
    const n = Math.min(t + 1, o.window);
    for (let d = 0; d < dim; d++) {
      const mean = sum[d]! / n;
      let v = data[t * dim + d]! - mean;
      if (o.normVars) v /= Math.sqrt(Math.max(sumSq[d]! / n - mean * mean, floor));
      out[t * dim + d] = v;
    }
  }
  return { data: out, frames, dim };
}
