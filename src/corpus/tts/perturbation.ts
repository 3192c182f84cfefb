/**
 * Speaker perturbation and channel effects of one utterance: what the plan draws, what the
 * engine is asked for, and the sox effects that follow.
 *
 * A vocal-tract-length change by a factor a: the engine speaks with its F0 scaled by 1/a,
 * then sox `speed a` scales F0 and every formant by a (F0 lands back where it was, the
 * formants move as a shorter or longer vocal tract would) and `tempo` restores the speaking
 * rate (times the drawn tempo). sox's `pitch` cannot do this: it moves the formants too.
 */
import type { Random } from '../../math/random.js';
import type { AugmentationRecord } from '../../data/manifest.js';
import type { Voice } from './voices.js';

/** Augmentation as planned: the manifest record plus the noise colour. */
export interface PlannedAugmentation extends AugmentationRecord {
  noiseColour?: 'white' | 'pink' | 'brown';
}

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

/** A uniform draw in [lo, hi], rounded to `digits` decimals (the plan is stored as JSON). */
export function uniform(rng: Random, lo: number, hi: number, digits = 3): number {
  return Number((lo + (hi - lo) * rng.uniform()).toFixed(digits));
}

/**
 * Draws a speaker perturbation for `voice`: vocal-tract length 0.9-1.1, tempo 0.85-1.15,
 * F0 range 0.5-1.6 (festival, whose intonation model has a range parameter). Unit-selection
 * voices (flite awb) are the least covered kind, so they are perturbed widely: 0.82-1.22,
 * and a third of them moved into the other sex's F0 range with a shorter vocal tract.
 */
export function drawSpeakerPerturbation(rng: Random, voice: Voice): PlannedAugmentation {
  const a: PlannedAugmentation = {};
  if (voice.synthesis === 'unit-selection' && rng.uniform() < 1 / 3) {
    a.f0 = uniform(rng, 1.5, 1.85);
    a.vtlp = uniform(rng, 1.1, 1.22);
  } else {
    a.vtlp = voice.synthesis === 'unit-selection' ? uniform(rng, 0.82, 1.22) : uniform(rng, 0.9, 1.1);
  }
  if (rng.uniform() < 0.7) a.tempo = uniform(rng, 0.85, 1.15);
  if (voice.engine === 'festival' && rng.uniform() < 0.5) a.f0Range = uniform(rng, 0.5, 1.6);
  return a;
}

/** Draws channel effects: at least one of noise (5-30 dB SNR), reverb, a band limit and GSM. */
export function drawChannelEffects(rng: Random): PlannedAugmentation {
  const a: PlannedAugmentation = {};
  const kinds = ['noise', 'reverb', 'band', 'gsm'] as const;
  let chosen = kinds.filter(() => rng.uniform() < 0.4);
  if (chosen.length === 0) chosen = [pick(rng, kinds)];
  for (const k of chosen) {
    if (k === 'noise') {
      a.noiseSnrDb = uniform(rng, 5, 30, 1);
      a.noiseColour = pick(rng, ['white', 'pink', 'brown'] as const);
    }
    if (k === 'reverb') a.reverb = Math.round(uniform(rng, 10, 70));
    if (k === 'band') {
      a.bandLow = Math.round(uniform(rng, 50, 400));
      a.bandHigh = Math.round(uniform(rng, 3000, 7000));
    }
    if (k === 'gsm') a.gsm = true;
  }
  return a;
}

/** The factor the engine scales its F0 by: the drawn F0 factor over the vocal-tract factor. */
export function engineF0Factor(a: AugmentationRecord | undefined): number {
  return (a?.f0 ?? 1) / (a?.vtlp ?? 1);
}

/**
 * sox effects for the augmentation, to run on audio at `sampleRate` (GSM is a second pass,
 * see synthesise.ts); band limits are kept below its Nyquist frequency.
 */
export function soxEffects(a: AugmentationRecord | undefined, sampleRate = 16000): string[] {
  if (!a) return [];
  const fx: string[] = [];
  if (a.speed !== undefined) fx.push('speed', String(a.speed));
  if (a.vtlp !== undefined && a.vtlp !== 1) fx.push('speed', String(a.vtlp));
  const tempo = (a.tempo ?? 1) / (a.vtlp ?? 1);
  if (Math.abs(tempo - 1) > 1e-6) fx.push('tempo', '-s', tempo.toFixed(4));
  if (a.reverb !== undefined) fx.push('reverb', String(a.reverb));
  if (a.telephone) fx.push('sinc', '300-3400');
  if (a.bandLow !== undefined || a.bandHigh !== undefined) {
    const high = a.bandHigh === undefined ? '' : String(Math.min(a.bandHigh, Math.floor(0.45 * sampleRate)));
    fx.push('sinc', `${a.bandLow ?? 0}-${high}`.replace(/-$/, ''));
  }
  // Peak-normalise to -2 dBFS: reverb and speed can push the signal past full scale.
  if (fx.length) fx.push('gain', '-n', '-2');
  return fx;
}
