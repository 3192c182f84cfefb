/**
 * More train hours for a corpus already built: the plan of another seed, of which only the
 * train utterances are made, less any that would break the first corpus's evaluation (a
 * sentence of its dev or test splits, an espeak-ng variant it keeps for its test split, a
 * speaker it holds out). Training then reads both train manifests. The checks every
 * extension makes of its base are in ../extend-base.ts.
 */
import { resolve } from 'node:path';
import { readManifest } from '../../data/manifest.js';
import { assertNotExtension, assertOtherSeed, incompleteBase, manifestTexts, readBaseCorpusJson } from '../extend-base.js';
import type { CorpusPlan, PlannedUtterance } from './plan.js';
import type { HeldOutSpeakers } from './speaker-splits.js';

/** What the corpus being extended keeps out of training. */
export interface ExtendedCorpus {
  /** Its folder, resolved. */
  dir: string;
  seed: number;
  heldOutSpeakers: HeldOutSpeakers;
  heldOutVariants: string[];
  /** Every sentence of its dev, test, dev-speakers and test-speakers manifests. */
  evaluationTexts: Set<string>;
}

/** Utterances left out of an extension, by reason. */
export interface ExtensionDropped {
  text: number;
  variant: number;
  speaker: number;
}

/** Reads the corpus in `dir` (its corpus.json and evaluation manifests). */
export function readExtendedCorpus(dir: string): ExtendedCorpus {
  const config = readBaseCorpusJson<{
    plan?: { seed?: number }; heldOutSpeakers?: HeldOutSpeakers; heldOutVariants?: string[]; extends?: unknown; status?: string;
  }>(dir, 'tts');
  assertNotExtension(dir, config);
  if (config.status !== 'complete' || typeof config.plan?.seed !== 'number' || !config.heldOutSpeakers) throw incompleteBase(dir, config.status, 'tts', ', without --splits');
  const evaluationTexts = manifestTexts(dir, ['dev', 'test', 'dev-speakers', 'test-speakers'], readManifest);
  return {
    dir: resolve(dir), seed: config.plan.seed, heldOutSpeakers: config.heldOutSpeakers,
    heldOutVariants: config.heldOutVariants ?? [], evaluationTexts,
  };
}

/**
 * The train utterances of `plan` that may join `base`'s train split. Throws where the plan
 * would repeat base's utterances (the same seed).
 */
export function extensionUtterances(plan: CorpusPlan, seed: number, base: ExtendedCorpus): { utterances: PlannedUtterance[]; dropped: ExtensionDropped } {
  assertOtherSeed(base.dir, seed, base.seed, 'utterances');
  // base's held-out speakers are dropped whatever this plan holds out
  const speakers = new Set([...base.heldOutSpeakers.dev, ...base.heldOutSpeakers.test]);
  const variants = new Set(base.heldOutVariants);
  const dropped: ExtensionDropped = { text: 0, variant: 0, speaker: 0 };
  const utterances = plan.utterances.filter((u) => {
    if (u.split !== 'train') return false;
    if (base.evaluationTexts.has(u.text)) { dropped.text++; return false; }
    if (u.voice.variant !== undefined && variants.has(u.voice.variant)) { dropped.variant++; return false; }
    if (speakers.has(u.voice.speaker)) { dropped.speaker++; return false; }
    return true;
  });
  return { utterances, dropped };
}
