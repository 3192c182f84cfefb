/**
 * The corpus plan: which sentence each utterance speaks, in which voice, at what rate and
 * pitch, with which perturbation. It depends only on the seed, the options and the
 * sentence pools, and each split's list is prefix-stable (asking for more hours appends),
 * so an interrupted or extended build regenerates exactly the same utterance ids.
 *
 * Five splits: train, dev and test hear the same (seen) speakers on disjoint sentences;
 * dev-speakers and test-speakers hear only whole recorded speakers that train, dev and test
 * never hear (see speaker-splits.ts), and test-speakers reads held-out text.
 */
import { Random } from '../../math/random.js';
import type { FortuneSentence } from '../fortune-sentences.js';
import { drawChannelEffects, drawSpeakerPerturbation, engineF0Factor } from './perturbation.js';
import type { PlannedAugmentation } from './perturbation.js';
import { DEFAULT_HELD_OUT, partitionBySpeaker } from './speaker-splits.js';
import type { HeldOutSpeakers } from './speaker-splits.js';
import type { Voice } from './voices.js';

export type { PlannedAugmentation } from './perturbation.js';

export type Split = 'train' | 'dev' | 'test' | 'dev-speakers' | 'test-speakers';
export const SPLITS: readonly Split[] = ['train', 'dev', 'test', 'dev-speakers', 'test-speakers'];

/** Engine controls for one utterance. */
export interface TtsSettings {
  /** espeak-ng words per minute. */
  rate?: number;
  /** espeak-ng pitch, 0-99. */
  pitch?: number;
  /** flite / festival duration stretch (> 1 is slower). */
  stretch?: number;
  /** Other engines: F0 scaled by this factor (the vocal-tract change's first half). */
  f0?: number;
  /** festival: F0 range scaled by this factor. */
  f0Range?: number;
}

/** One utterance to synthesise. */
export interface PlannedUtterance {
  id: string;
  split: Split;
  /** Index within its split. */
  index: number;
  text: string;
  source: string;
  voice: Voice;
  tts: TtsSettings;
  augmentation?: PlannedAugmentation;
  /** Seed of this utterance's noise. */
  seed: number;
  /** Rough duration in seconds, used only to size the plan. */
  estimate: number;
}

/** Options that shape the plan (all recorded in corpus.json). */
export interface PlanOptions {
  hours: number;
  seed: number;
  /** Share of utterances given channel effects (noise, reverb, band limits, GSM). Default 0.3. */
  augmentShare?: number;
  /** Share of train, dev and test utterances given a speaker perturbation. Default 0.6. */
  perturbShare?: number;
  /** Shares of sentences and hours for dev and test. Default 0.05 each. */
  devShare?: number;
  testShare?: number;
  /** Shares of hours for dev-speakers and test-speakers. Default 0.04 each. */
  speakerDevShare?: number;
  speakerTestShare?: number;
  /** Recorded speakers held out of train, dev and test. Default: dev mbrola us2 + Pico en-GB, test mbrola us3 + RHVoice lyubov. */
  heldOutSpeakers?: HeldOutSpeakers;
  /** Share of espeak-ng variants kept for the test split only. Default 0.1. */
  heldOutVariantShare?: number;
  /** Use at most this many distinct sentences. Default: all. */
  maxSentences?: number;
  /** Sentences for test-speakers from a source nothing else uses. Default: the test split's sentences. */
  heldOutText?: readonly FortuneSentence[];
}

/** The whole plan. */
export interface CorpusPlan {
  utterances: PlannedUtterance[];
  /** espeak-ng variants heard only in the test split. */
  heldOutVariants: string[];
  /** Speakers of the held-out-speakers splits that are installed. */
  heldOutSpeakers: HeldOutSpeakers;
  sentences: Record<Split, number>;
  targetHours: Record<Split, number>;
}

/** FNV-1a over the parts: a stable 32-bit seed for one purpose. */
export function deriveSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function uniform(rng: Random, lo: number, hi: number, digits = 3): number {
  return Number((lo + (hi - lo) * rng.uniform()).toFixed(digits));
}

/** espeak-ng's formant voices are one "speaker" of many accents and variants: weigh them as three. */
const FORMANT_WEIGHT = 3;

/**
 * Draws a voice: a speaker (recorded speakers alike, espeak-ng's formant voices weighed
 * more), then one of that speaker's voices; for espeak-ng formant voices an accent, then a
 * variant.
 */
function drawVoice(rng: Random, pool: readonly Voice[], preferVariants: ReadonlySet<string> | undefined): Voice {
  const speakers = [...new Set(pool.map((v) => v.speaker))];
  const weight = (s: string): number => (s === 'espeak-ng-formant' ? FORMANT_WEIGHT : 1);
  let r = rng.uniform() * speakers.reduce((sum, s) => sum + weight(s), 0);
  let speaker = speakers[speakers.length - 1]!;
  for (const s of speakers) {
    r -= weight(s);
    if (r < 0) { speaker = s; break; }
  }
  let candidates = pool.filter((v) => v.speaker === speaker);
  if (candidates[0]!.accent !== undefined) {
    const accent = pick(rng, [...new Set(candidates.map((c) => c.accent))]);
    candidates = candidates.filter((v) => v.accent === accent);
    // Half of the test split's espeak-ng utterances use held-out variants.
    if (preferVariants && preferVariants.size > 0) {
      const held = candidates.filter((v) => preferVariants.has(v.variant!));
      const rest = candidates.filter((v) => !preferVariants.has(v.variant!));
      candidates = rng.uniform() < 0.5 || rest.length === 0 ? held : rest;
    }
  }
  return pick(rng, candidates);
}

/**
 * The espeak-ng pitch parameter (0-99) that scales the F0 of pitch `base` by `factor`: a step
 * moves F0 by about 0.93% (measured: 50 -> 30 gives x0.84, 50 -> 70 gives x1.22).
 */
export function espeakPitchFor(base: number, factor: number): number {
  return Math.min(99, Math.max(0, Math.round(base + Math.log(factor) / 0.0093)));
}

/** Engine settings for `voice`, with the perturbation's engine half folded in. */
function ttsSettings(rng: Random, voice: Voice, a: PlannedAugmentation | undefined): TtsSettings {
  const k = engineF0Factor(a);
  if (voice.engine === 'espeak-ng') {
    const pitch = Math.round(uniform(rng, 25, 75));
    return { rate: Math.round(uniform(rng, 130, 200)), pitch: espeakPitchFor(pitch, k) };
  }
  const tts: TtsSettings = {};
  if (voice.engine === 'flite' || voice.engine === 'festival') tts.stretch = uniform(rng, 0.85, 1.2);
  if (k !== 1) tts.f0 = Number(k.toFixed(4));
  if (a?.f0Range !== undefined) tts.f0Range = a.f0Range;
  return tts;
}

/**
 * Seconds a voice takes for `words` words, for sizing the plan only: least-squares fits
 * over a built corpus (leading and trailing silence in the constant).
 */
function estimateSeconds(words: number, voice: Voice, tts: TtsSettings, tempo: number): number {
  let s: number;
  if (voice.engine === 'espeak-ng') s = 0.43 + (0.77 * words * 60) / (tts.rate ?? 175);
  else if (voice.engine === 'flite') s = 0.67 + 0.25 * words * (tts.stretch ?? 1);
  else if (voice.engine === 'festival') s = 0.47 + 0.27 * words * (tts.stretch ?? 1);
  else s = 0.5 + 0.3 * words;
  return s / tempo;
}

/** Counts of test and dev sentences for a pool of n. */
function splitCounts(n: number, devShare: number, testShare: number): Record<'train' | 'dev' | 'test', number> {
  const share = (s: number): number => (s > 0 && n >= 3 ? Math.max(1, Math.round(n * s)) : Math.round(n * s));
  const test = share(testShare);
  const dev = share(devShare);
  return { train: Math.max(0, n - test - dev), dev, test };
}

function checkShare(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new Error(`corpus: ${name} must be in [0, 1], got ${v}`);
}

/** Plans a corpus over `sentences` and `voices` (reserved voices must already be excluded). */
export function planCorpus(sentences: readonly FortuneSentence[], voices: readonly Voice[], o: PlanOptions): CorpusPlan {
  if (!(o.hours > 0)) throw new Error(`corpus: hours must be positive, got ${o.hours}`);
  if (voices.length === 0) throw new Error('corpus: no voices to use');
  const augmentShare = o.augmentShare ?? 0.3;
  const perturbShare = o.perturbShare ?? 0.6;
  const devShare = o.devShare ?? 0.05;
  const testShare = o.testShare ?? 0.05;
  const speakerDevShare = o.speakerDevShare ?? 0.04;
  const speakerTestShare = o.speakerTestShare ?? 0.04;
  checkShare('augment share', augmentShare);
  checkShare('perturb share', perturbShare);
  const shares = devShare + testShare + speakerDevShare + speakerTestShare;
  if (!(devShare >= 0 && testShare >= 0 && speakerDevShare >= 0 && speakerTestShare >= 0 && shares < 1)) {
    throw new Error('corpus: dev, test and held-out-speaker shares must be >= 0 and sum below 1');
  }
  const pool = new Random(deriveSeed(o.seed, 'sentences')).shuffle([...sentences]).slice(0, o.maxSentences ?? sentences.length);
  // dev-speakers reads the dev sentences: keep some even when the seen-voice dev split is off.
  const devTextShare = devShare > 0 ? devShare : speakerDevShare > 0 ? 0.05 : 0;
  const counts = splitCounts(pool.length, devTextShare, testShare);
  const devSentences = pool.slice(counts.test, counts.test + counts.dev);
  const testSentences = pool.slice(0, counts.test);
  const heldOutText = o.heldOutText && o.heldOutText.length > 0 ? o.heldOutText : testSentences;
  const bySplit: Record<Split, readonly FortuneSentence[]> = {
    train: pool.slice(counts.test + counts.dev), dev: devShare > 0 ? devSentences : [], test: testSentences,
    'dev-speakers': devSentences, 'test-speakers': new Random(deriveSeed(o.seed, 'held-out-text')).shuffle([...heldOutText]),
  };
  const bySpeaker = partitionBySpeaker(voices, o.heldOutSpeakers ?? DEFAULT_HELD_OUT);
  const seen = bySpeaker.seen;
  const variants = [...new Set(seen.filter((v) => v.variant !== undefined).map((v) => v.variant!))].sort();
  const share = o.heldOutVariantShare ?? 0.1;
  const nHeld = variants.length >= 2 && share > 0 ? Math.max(1, Math.round(variants.length * share)) : 0;
  const heldOut = new Set(new Random(deriveSeed(o.seed, 'held-out')).shuffle([...variants]).slice(0, nHeld));
  // Train and dev never hear a held-out variant; if that leaves them no voice, keep all.
  const open = seen.filter((v) => !(v.variant && heldOut.has(v.variant)));
  const voicesFor: Record<Split, readonly Voice[]> = {
    train: open.length ? open : seen, dev: open.length ? open : seen, test: seen,
    'dev-speakers': bySpeaker.dev, 'test-speakers': bySpeaker.test,
  };
  const targetHours: Record<Split, number> = {
    train: o.hours * (1 - shares), dev: o.hours * devShare, test: o.hours * testShare,
    'dev-speakers': o.hours * speakerDevShare, 'test-speakers': o.hours * speakerTestShare,
  };
  const utterances: PlannedUtterance[] = [];
  for (const split of SPLITS) {
    const list = bySplit[split];
    const splitVoices = voicesFor[split];
    if (list.length === 0 || splitVoices.length === 0 || targetHours[split] <= 0) continue;
    const heldOutSplit = split === 'dev-speakers' || split === 'test-speakers';
    let seconds = 0;
    for (let i = 0; seconds < targetHours[split] * 3600; i++) {
      const rng = new Random(deriveSeed(o.seed, split, i));
      const sentence = list[i % list.length]!;
      const voice = drawVoice(rng, splitVoices, split === 'test' ? heldOut : undefined);
      // Held-out speakers are heard as they are: a perturbed voice is no longer that speaker.
      const speaker = !heldOutSplit && rng.uniform() < perturbShare ? drawSpeakerPerturbation(rng, voice) : undefined;
      const channel = rng.uniform() < augmentShare ? drawChannelEffects(rng) : undefined;
      const augmentation = speaker || channel ? { ...speaker, ...channel } : undefined;
      const tts = ttsSettings(rng, voice, augmentation);
      const estimate = estimateSeconds(sentence.text.split(' ').length, voice, tts, augmentation?.tempo ?? 1);
      utterances.push({
        id: `${split}-${String(i).padStart(6, '0')}`, split, index: i, text: sentence.text, source: sentence.source,
        voice, tts, ...(augmentation ? { augmentation } : {}), seed: rng.nextUint32(), estimate,
      });
      seconds += estimate;
    }
  }
  const sentenceCounts: Record<Split, number> = {
    train: bySplit.train.length, dev: bySplit.dev.length, test: bySplit.test.length,
    'dev-speakers': bySplit['dev-speakers'].length, 'test-speakers': bySplit['test-speakers'].length,
  };
  return {
    utterances, heldOutVariants: [...heldOut].sort(), heldOutSpeakers: bySpeaker.installed,
    sentences: sentenceCounts, targetHours,
  };
}
