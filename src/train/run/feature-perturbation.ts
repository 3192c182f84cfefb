/**
 * Speed and VTLP perturbation of training batches, drawn afresh per batch from the cached
 * (CMVN-normalised) log-mel features: neighbouring mel bins have similar statistics, so
 * warping normalised features approximates warping the raw ones and normalising again.
 */
import type { Features } from '../../util/features.js';
import type { FbankOptions } from '../../audio/fbank.js';
import { warpFeatures } from '../../audio/feature-warp.js';
import type { Random } from '../../math/random.js';

/** The recipe's `featurePerturbation`. */
export interface FeaturePerturbation {
  /** Share of training utterances perturbed. */
  share: number;
  /** Speed factor range (tempo and frequency together, like resampled audio), e.g. [0.9, 1.1]. */
  speed?: [number, number];
  /** Frequency-warp (vocal-tract length) range, e.g. [0.9, 1.1], drawn on top of speed. */
  vtlp?: [number, number];
}

function checkRange(r: unknown, name: string, where: string): void {
  if (r === undefined) return;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && x > 0.5 && x < 2) || r[0] > r[1]) {
    throw new Error(`${where}: featurePerturbation.${name} must be [low, high] with 0.5 < low <= high < 2, got ${JSON.stringify(r)}`);
  }
}

/** Checks the recipe field against the front end's filterbank; throws naming the bad field. */
export function checkFeaturePerturbation(p: FeaturePerturbation, fbank: FbankOptions, where: string): void {
  if (typeof p !== 'object' || p === null) throw new Error(`${where}: featurePerturbation must be an object or null`);
  for (const k of Object.keys(p)) if (!['share', 'speed', 'vtlp'].includes(k)) throw new Error(`${where}: unknown featurePerturbation field "${k}" (known: share, speed, vtlp)`);
  if (!(typeof p.share === 'number' && p.share >= 0 && p.share <= 1)) throw new Error(`${where}: featurePerturbation.share must be in [0, 1]`);
  checkRange(p.speed, 'speed', where);
  checkRange(p.vtlp, 'vtlp', where);
  if ((fbank.deltaOrder ?? 0) > 0 || fbank.htkCompat) throw new Error(`${where}: featurePerturbation needs plain log-mel features (no deltas, no htkCompat)`);
}

/**
 * Draws a perturbation for one utterance and applies it, or returns `f` itself (not
 * perturbed this time). `fits` says whether a perturbed length still fits the target
 * (CTC needs enough frames); a draw that does not fit is dropped.
 */
export function perturbFeatures(f: Features, rng: Random, p: FeaturePerturbation, fbank: FbankOptions, sampleRate: number,
  fits: (frames: number) => boolean): Features {
  if (rng.uniform() >= p.share) return f;
  const draw = (r: [number, number] | undefined): number => (r ? r[0] + (r[1] - r[0]) * rng.uniform() : 1);
  const speed = draw(p.speed);
  const vtlp = speed * draw(p.vtlp);
  const high = fbank.highFreq ?? 0;
  const useEnergy = fbank.useEnergy ?? false;
  const warped = warpFeatures(f, {
    tempo: speed, vtlp, lowFreq: fbank.lowFreq ?? 20, highFreq: high <= 0 ? sampleRate / 2 + high : high,
    melColumns: [useEnergy ? 1 : 0, fbank.numMelBins ?? 23],
  });
  return fits(warped.frames) ? warped : f;
}
