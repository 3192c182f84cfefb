/**
 * Speed and vocal-tract-length perturbation of log-mel features, cheap enough to draw afresh
 * for every training batch (features are cached, audio is not read again).
 *
 * VTLP (Jaitly & Hinton 2013) scales the frequency axis by a: the warped spectrum at f is
 * the original at f / a, read off the mel bins by linear interpolation between bin
 * centres. A tempo change resamples the frames in time (linear interpolation). Speed
 * perturbation by s (Ko et al. 2015: audio resampled, so tempo, pitch and formants all
 * move) is tempo s with a frequency warp s.
 */
import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';
import { inverseMelScale, melScale } from './mel-banks.js';

/** Options of {@link warpFeatures}. */
export interface FeatureWarpOptions {
  /** Speaking-rate factor: > 1 is faster (fewer frames). Default 1. */
  tempo?: number;
  /** Frequency-axis factor: > 1 moves formants up (a shorter vocal tract). Default 1. */
  vtlp?: number;
  /** Columns that are mel bins, [first, first + count); the rest (energy) are only resampled in time. Default all. */
  melColumns?: [number, number];
  /** The filterbank's band: lowest and highest mel frequency in Hz. */
  lowFreq: number;
  highFreq: number;
}

/** The fractional source bin of each of `n` mel bins under a warp by `a` (clamped to the band). */
export function vtlpSourceBins(n: number, a: number, lowFreq: number, highFreq: number): Float64Array {
  const melLow = melScale(lowFreq);
  const delta = (melScale(highFreq) - melLow) / (n + 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const centre = inverseMelScale(melLow + (i + 1) * delta);
    const source = (melScale(centre / a) - melLow) / delta - 1;
    out[i] = Math.min(n - 1, Math.max(0, source));
  }
  return out;
}

/** A new Features: `f` resampled in time by `tempo` and warped in frequency by `vtlp`. */
export function warpFeatures(f: Features, o: FeatureWarpOptions): Features {
  checkFeatures(f, 'warpFeatures');
  const tempo = o.tempo ?? 1;
  const a = o.vtlp ?? 1;
  if (!(tempo > 0 && a > 0)) throw new Error(`warpFeatures: tempo and vtlp must be positive, got ${tempo} and ${a}`);
  const { data, frames, dim } = f;
  const [m0, mCount] = o.melColumns ?? [0, dim];
  if (!(m0 >= 0 && mCount > 1 && m0 + mCount <= dim)) throw new Error(`warpFeatures: melColumns ${JSON.stringify(o.melColumns)} is outside ${dim} columns`);
  const outFrames = Math.max(1, Math.round(frames / tempo));
  const bins = a === 1 ? null : vtlpSourceBins(mCount, a, o.lowFreq, o.highFreq);
  const out = new Float32Array(outFrames * dim);
  const row = new Float64Array(dim);
  for (let t = 0; t < outFrames; t++) {
    // Time: linear interpolation between the two nearest source frames.
    const src = Math.min(frames - 1, t * tempo);
    const t0 = Math.floor(src);
    const t1 = Math.min(frames - 1, t0 + 1);
    const w = src - t0;
    for (let d = 0; d < dim; d++) row[d] = (1 - w) * data[t0 * dim + d]! + w * data[t1 * dim + d]!;
    for (let d = 0; d < dim; d++) {
      let v = row[d]!;
      if (bins && d >= m0 && d < m0 + mCount) {
        const s = bins[d - m0]!;
        const b0 = Math.floor(s);
        const b1 = Math.min(mCount - 1, b0 + 1);
        const u = s - b0;
        v = (1 - u) * row[m0 + b0]! + u * row[m0 + b1]!;
      }
      out[t * dim + d] = v;
    }
  }
  return { data: out, frames: outFrames, dim };
}
