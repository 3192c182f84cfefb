/**
 * Causal sliding-window mean (and variance) normalisation: each frame is normalised by the
 * statistics of itself and the frames before it, at most `window` of them. Unlike global
 * CMVN it follows a new speaker or channel; unlike per-utterance normalisation it needs
 * no look-ahead, so a streaming model can use it too. With `skipSilence`, frames of digital
 * silence (all-zero samples: a muted microphone, a padded file) stay out of the statistics,
 * so speech after seconds of zeros is normalised as at the start of an utterance instead of
 * against a window of nothing but the filterbank's floor.
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
  /**
   * Leave frames of digital silence out of the window (they come out as zeros until the
   * first frame of sound, then normalised by the statistics of the sound before them).
   * Default false. Needs the filterbank's frame of zeros ({@link SlidingCmvnStream}).
   */
  skipSilence?: boolean;
}

/** Checks sliding-CMVN options; throws naming the bad field. */
export function checkSlidingCmvn(o: SlidingCmvnOptions, where: string): void {
  if (!Number.isInteger(o.window) || o.window < 1) throw new Error(`${where}: window must be an integer >= 1, got ${JSON.stringify(o.window)}`);
  if (o.normVars !== undefined && typeof o.normVars !== 'boolean') throw new Error(`${where}: normVars must be true or false`);
  if (o.varianceFloor !== undefined && !(o.varianceFloor > 0)) throw new Error(`${where}: varianceFloor must be positive`);
  if (o.skipSilence !== undefined && typeof o.skipSilence !== 'boolean') throw new Error(`${where}: skipSilence must be true or false`);
}

/**
 * A new Features: `f` normalised causally over a sliding window (running sums in float64).
 * `silence`: the filterbank's frame of all-zero samples, needed with `skipSilence`.
 */
export function slidingCmvn(f: Features, o: SlidingCmvnOptions, silence?: Float32Array): Features {
  checkFeatures(f, 'slidingCmvn');
  return new SlidingCmvnStream(f.dim, o, silence).accept(f);
}

/** How far (per column) a frame may lie from the frame of zeros and still be digital silence. */
const SILENCE_TOLERANCE = 1e-4;

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
  /** Frames in the statistics so far (all of them, less digital silence with skipSilence). */
  private counted = 0;

  /** `silence`: the filterbank's frame of all-zero samples ([dim]), needed with `skipSilence`. */
  constructor(readonly dim: number, readonly options: SlidingCmvnOptions, private readonly silence?: Float32Array) {
    checkSlidingCmvn(options, 'slidingCmvn');
    if (options.skipSilence && silence?.length !== dim) throw new Error(`slidingCmvn: skipSilence needs the filterbank's frame of silence (${dim} columns)`);
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
    const { window } = this.options;
    const out = new Float32Array(f.data.length);
    for (let i = 0; i < f.frames; i++, this.frames++) {
      if (this.options.skipSilence && this.isSilent(f.data, i * dim)) {
        this.normalise(f.data, i * dim, out);
        continue;
      }
      const t = this.counted++, row = (t % window) * dim;
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
      this.normalise(f.data, i * dim, out);
    }
    return { data: out, frames: f.frames, dim };
  }

  /** Writes the frame at `data[at..]` normalised by the window's statistics to `out[at..]` (zeros while the window is empty). */
  private normalise(data: Float32Array, at: number, out: Float32Array): void {
    const n = Math.min(this.counted, this.options.window);
    if (n === 0) return;
    const { sum, sumSq } = this;
    const { normVars } = this.options;
    for (let d = 0; d < this.dim; d++) {
      const mean = sum[d]! / n;
      let v = data[at + d]! - mean;
      if (normVars) v /= Math.sqrt(Math.max(sumSq[d]! / n - mean * mean, this.floor));
      out[at + d] = v;
    }
  }

  /** True when the frame at `data[at..]` is the filterbank's frame of zeros. */
  private isSilent(data: Float32Array, at: number): boolean {
    const s = this.silence!;
    for (let d = 0; d < this.dim; d++) if (Math.abs(data[at + d]! - s[d]!) > SILENCE_TOLERANCE) return false;
    return true;
  }

  /** Forgets the stream (a new utterance starts). */
  reset(): void {
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.frames = 0;
    this.counted = 0;
  }
}
