/**
 * SpecAugment (Park et al. 2019) frequency and time masks for training: bands of mel
 * channels and runs of frames set to a constant. Time warping is left out (the paper
 * found it the least useful and the most costly).
 */
import type { Random } from '../math/random.js';
import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';

/** Mask settings; the defaults are the paper's LibriSpeech "basic" policy (LB). */
export interface SpecAugmentOptions {
  /** Number of frequency masks. Default 1. */
  freqMasks?: number;
  /** Largest frequency mask width F (a width is drawn uniformly from 0..F). Default 27. */
  maxFreqWidth?: number;
  /** Number of time masks. Default 1. */
  timeMasks?: number;
  /** Largest time mask width T. Default 100. */
  maxTimeWidth?: number;
  /** Upper bound p on a time mask's width as a share of the frames. Default 1. */
  maxTimeShare?: number;
  /** Columns the frequency masks may cover, [first, first + count); default all. Keeps e.g. an energy or delta block out. */
  freqRange?: [number, number];
  /** Value written into masked cells: a number, or 'mean' for the utterance mean. Default 0 (the mean after CMVN). */
  maskValue?: number | 'mean';
}

/** One mask that was applied (for logging and tests). */
export interface AppliedMask {
  axis: 'freq' | 'time';
  start: number;
  width: number;
}

/** Masks `features` in place using `rng`, and returns the masks drawn. */
export function specAugment(features: Features, rng: Random, options: SpecAugmentOptions = {}): AppliedMask[] {
  checkFeatures(features, 'specAugment');
  const { data, frames, dim } = features;
  const [f0, fCount] = options.freqRange ?? [0, dim];
  if (!(f0 >= 0 && fCount >= 0 && f0 + fCount <= dim)) throw new Error(`specAugment: freqRange ${JSON.stringify(options.freqRange)} is outside ${dim} columns`);
  let value = 0;
  if (options.maskValue === 'mean') {
    let s = 0;
    for (let i = 0; i < data.length; i++) s += data[i]!;
    value = data.length ? s / data.length : 0;
  } else if (options.maskValue !== undefined) {
    value = options.maskValue;
  }
  const masks: AppliedMask[] = [];
  const maxF = Math.min(options.maxFreqWidth ?? 27, fCount);
  for (let i = 0; i < (options.freqMasks ?? 1); i++) {
    const width = rng.int(maxF + 1);
    const start = f0 + rng.int(fCount - width + 1);
    for (let t = 0; t < frames; t++) data.fill(value, t * dim + start, t * dim + start + width);
    masks.push({ axis: 'freq', start, width });
  }
  const maxT = Math.min(options.maxTimeWidth ?? 100, Math.floor((options.maxTimeShare ?? 1) * frames));
  for (let i = 0; i < (options.timeMasks ?? 1); i++) {
    const width = rng.int(maxT + 1);
    const start = rng.int(frames - width + 1);
    data.fill(value, start * dim, (start + width) * dim);
    masks.push({ axis: 'time', start, width });
  }
  return masks;
}
