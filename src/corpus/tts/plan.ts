/**
 * The corpus plan: which sentence each utterance speaks, in which voice, at what rate and
 * pitch, with which augmentation. It depends only on the seed, the options and the
 * sentence pool, and each split's list is prefix-stable (asking for more hours appends),
 * so an interrupted or extended build regenerates exactly the same utterance ids.
 */
import { Random } from '../../math/random.js';
import type { AugmentationRecord } from '../../data/manifest.js';
import type { FortuneSentence } from '../fortune-sentences.js';
import type { Engine, Voice } from './voices.js';

export type Split = 'train' | 'dev' | 'test';
export const SPLITS: readonly Split[] = ['train', 'dev', 'test'];

/** Augmentation as planned: the manifest record plus the noise colour. */
export interface PlannedAugmentation extends AugmentationRecord {
  noiseColour?: 'white' | 'pink' | 'brown';
}

/** Engine controls for one utterance. */
export interface TtsSettings {
  /** espeak-ng words per minute. */
  rate?: number;
  /** espeak-ng pitch, 0-99. */
  pitch?: number;
  /** flite / festival duration stretch (> 1 is slower). */
  stretch?: number;
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
  /** Share of utterances given sox augmentation. Default 0.3. */
  augmentShare?: number;
  /** Shares of sentences and hours for dev and test. Default 0.05 each. */
  devShare?: number;
  testShare?: number;
  /** Share of espeak-ng variants kept for the test split only. Default 0.1. */
  heldOutVariantShare?: number;
  /** Use at most this many distinct sentences. Default: all. */
  maxSentences?: number;
}

/** The whole plan. */
export interface CorpusPlan {
  utterances: PlannedUtterance[];
  /** espeak-ng variants heard only in the test split. */
  heldOutVariants: string[];
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

const ENGINE_WEIGHTS: Record<Engine, number> = { 'espeak-ng': 0.5, flite: 0.25, festival: 0.25 };

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function uniform(rng: Random, lo: number, hi: number, digits = 3): number {
  return Number((lo + (hi - lo) * rng.uniform()).toFixed(digits));
}

/** Draws a voice: an engine by weight, then (espeak-ng) an accent, then a variant. */
function drawVoice(rng: Random, pool: readonly Voice[], preferVariants: ReadonlySet<string> | undefined): Voice {
  const engines = [...new Set(pool.map((v) => v.engine))];
  let r = rng.uniform() * engines.reduce((s, e) => s + ENGINE_WEIGHTS[e], 0);
  let engine = engines[engines.length - 1]!;
  for (const e of engines) {
    r -= ENGINE_WEIGHTS[e];
    if (r < 0) { engine = e; break; }
  }
  let candidates = pool.filter((v) => v.engine === engine);
  if (engine === 'espeak-ng') {
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

function drawAugmentation(rng: Random): PlannedAugmentation {
  const aug: PlannedAugmentation = {};
  const kinds = ['speed', 'noise', 'reverb', 'telephone'] as const;
  let chosen = kinds.filter(() => rng.uniform() < 0.5);
  if (chosen.length === 0) chosen = [pick(rng, kinds)];
  for (const k of chosen) {
    if (k === 'speed') aug.speed = uniform(rng, 0.9, 1.1);
    if (k === 'noise') {
      aug.noiseSnrDb = uniform(rng, 5, 30, 1);
      aug.noiseColour = pick(rng, ['white', 'pink', 'brown'] as const);
    }
    if (k === 'reverb') aug.reverb = Math.round(uniform(rng, 10, 70));
    if (k === 'telephone') aug.telephone = true;
  }
  return aug;
}

/**
 * Seconds a voice takes for `words` words, for sizing the plan only: least-squares fits
 * over a built corpus (leading and trailing silence in the constant).
 */
function estimateSeconds(words: number, voice: Voice, tts: TtsSettings, speed: number): number {
  let s: number;
  if (voice.engine === 'espeak-ng') s = 0.43 + (0.77 * words * 60) / (tts.rate ?? 175);
  else if (voice.engine === 'flite') s = 0.67 + 0.25 * words * (tts.stretch ?? 1);
  else s = 0.47 + 0.27 * words * (tts.stretch ?? 1);
  return s / speed;
}

/** Counts of test and dev sentences for a pool of n. */
function splitCounts(n: number, devShare: number, testShare: number): Record<Split, number> {
  const share = (s: number): number => (s > 0 && n >= 3 ? Math.max(1, Math.round(n * s)) : Math.round(n * s));
  const test = share(testShare);
  const dev = share(devShare);
  return { train: Math.max(0, n - test - dev), dev, test };
}

/** Plans a corpus over `sentences` and `voices` (reserved voices must already be excluded). */
export function planCorpus(sentences: readonly FortuneSentence[], voices: readonly Voice[], o: PlanOptions): CorpusPlan {
  if (!(o.hours > 0)) throw new Error(`corpus: hours must be positive, got ${o.hours}`);
  if (voices.length === 0) throw new Error('corpus: no voices to use');
  const augmentShare = o.augmentShare ?? 0.3;
  const devShare = o.devShare ?? 0.05;
  const testShare = o.testShare ?? 0.05;
  if (!(augmentShare >= 0 && augmentShare <= 1)) throw new Error(`corpus: augment share must be in [0, 1], got ${augmentShare}`);
  if (!(devShare >= 0 && testShare >= 0 && devShare + testShare < 1)) throw new Error('corpus: dev and test shares must be >= 0 and sum below 1');
  const pool = new Random(deriveSeed(o.seed, 'sentences')).shuffle([...sentences]).slice(0, o.maxSentences ?? sentences.length);
  const counts = splitCounts(pool.length, devShare, testShare);
  const bySplit: Record<Split, FortuneSentence[]> = {
    test: pool.slice(0, counts.test),
    dev: pool.slice(counts.test, counts.test + counts.dev),
    train: pool.slice(counts.test + counts.dev),
  };
  const variants = [...new Set(voices.filter((v) => v.engine === 'espeak-ng').map((v) => v.variant!))].sort();
  const share = o.heldOutVariantShare ?? 0.1;
  const nHeld = variants.length >= 2 && share > 0 ? Math.max(1, Math.round(variants.length * share)) : 0;
  const heldOut = new Set(new Random(deriveSeed(o.seed, 'held-out')).shuffle([...variants]).slice(0, nHeld));
  // Train and dev never hear a held-out variant; if that leaves them no voice, keep all.
  const open = voices.filter((v) => !(v.variant && heldOut.has(v.variant)));
  const targetHours: Record<Split, number> = { train: o.hours * (1 - devShare - testShare), dev: o.hours * devShare, test: o.hours * testShare };
  const utterances: PlannedUtterance[] = [];
  for (const split of SPLITS) {
    const list = bySplit[split];
    if (list.length === 0 || targetHours[split] <= 0) continue;
    const splitPool = split === 'test' || open.length === 0 ? voices : open;
    let seconds = 0;
    for (let i = 0; seconds < targetHours[split] * 3600; i++) {
      const rng = new Random(deriveSeed(o.seed, split, i));
      const sentence = list[i % list.length]!;
      const voice = drawVoice(rng, splitPool, split === 'test' ? heldOut : undefined);
      const tts: TtsSettings = voice.engine === 'espeak-ng'
        ? { rate: Math.round(uniform(rng, 130, 200)), pitch: Math.round(uniform(rng, 25, 75)) }
        : { stretch: uniform(rng, 0.85, 1.2) };
      const augmentation = rng.uniform() < augmentShare ? drawAugmentation(rng) : undefined;
      const estimate = estimateSeconds(sentence.text.split(' ').length, voice, tts, augmentation?.speed ?? 1);
      utterances.push({
        id: `${split}-${String(i).padStart(6, '0')}`, split, index: i, text: sentence.text, source: sentence.source,
        voice, tts, ...(augmentation ? { augmentation } : {}), seed: rng.nextUint32(), estimate,
      });
      seconds += estimate;
    }
  }
  return { utterances, heldOutVariants: [...heldOut].sort(), sentences: counts, targetHours };
}
