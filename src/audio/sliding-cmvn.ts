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
  return new SlidingCmvnStream(f.dim, o).accept(f);
}

/**
 * {@link slidingCmvn} over a stream of frames, chunk by chunk: it keeps the last `window`
 * frames and their running sums, so a stream's output equals slidingCmvn on the whole
 * matrix bit for bit, whatever the chunk sizes.
 */
export class SlidingCmvnStream {
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  /** The last `window` frames received, frame t at row t % window. */
  private readonly ring: Float32Array;
  private readonly floor: number;
  /** Frames received so far. */
  frames = 0;

  constructor(readonly dim: number, readonly options: SlidingCmvnOptions) {
    checkSlidingCmvn(options, 'slidingCmvn');
    this.sum = new Float64Array(dim);
    this.sumSq = new Float64Array(dim);
    this.ring = new Float32Array(options.window * dim);
    this.floor = options.varianceFloor ?? 1e-2;
  }

  /** Normalises the next frames of the stream. */
  accept(f: Features): Features {
    checkFeatures(f, 'slidingCmvn');
    const { dim, sum, sumSq, ring } = this;
    if (f.dim !== dim) throw new Error(`slidingCmvn: frames of ${f.dim} columns in a stream of ${dim}`);
    const { window, normVars } = this.options;
    const out = new Float32Array(f.data.length);
    for (let i = 0; i < f.frames; i++, this.frames++) {
      const t = this.frames, row = (t % window) * dim;
      for (let d = 0; d < dim; d++) {
        const v = f.data[i * dim + d]!;
        sum[d]! += v;
        sumSq[d]! += v * v;
        if (t >= window) { // the frame leaving the window shares the new one's row
          const old = ring[row + d]!;
          sum[d]! -= old;
          sumSq[d]! -= old * old;
        }
        ring[row + d] = v;
      }
      const n = Math.min(t + 1, window);
      for (let d = 0; d < dim; d++) {
        const mean = sum[d]! / n;
        let v = f.data[i * dim + d]! - mean;
        if (normVars) v /= Math.sqrt(Math.max(sumSq[d]! / n - mean * mean, this.floor));
        out[i * dim + d] = v;
      }
    }
    return { data: out, frames: f.frames, dim };
  }

  /** Forgets the stream (a new utterance starts). */
  reset(): void {
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.frames = 0;
  }
}
