/**
 * More train lines for a line corpus already built: the train lines of another seed's plan,
 * less any that would break the first corpus's evaluation (a text of its dev, test or
 * held-out splits, a font of its held-out families). Training then reads both train
 * manifests. The checks every extension makes of its base are in ../extend-base.ts.
 */
import { resolve } from 'node:path';
import { readLineManifest } from '../../data/lines/lines-manifest.js';
import { assertNotExtension, assertOtherSeed, incompleteBase, manifestTexts, readBaseCorpusJson } from '../extend-base.js';
import type { PlannedLine } from './plan.js';

/** What the corpus being extended keeps out of training. */
export interface ExtendedLinesCorpus {
  /** Its folder, resolved. */
  dir: string;
  seed: number;
  /** Its held-out font families (those of its heldout-dev and heldout-test splits). */
  heldOutFamilies: Set<string>;
  /** Every text of its dev, test, heldout-dev and heldout-test manifests. */
  evaluationTexts: Set<string>;
}

/** Lines left out of an extension, by reason. */
export interface LinesExtensionDropped {
  text: number;
  family: number;
}

/** The splits whose texts an extension never renders. */
const EVALUATION_SPLITS = ['dev', 'test', 'heldout-dev', 'heldout-test'] as const;

/** Reads the line corpus in `dir` (its corpus.json and evaluation manifests). */
export function readExtendedLinesCorpus(dir: string): ExtendedLinesCorpus {
  const config = readBaseCorpusJson<{
    kind?: string; status?: string; seed?: number; extends?: unknown; fonts?: Record<string, string[]>;
  }>(dir, 'lines');
  if (config.kind !== 'sayre.lines-corpus/1') throw new Error(`--extend ${dir}: its corpus.json is not that of a sayre corpus lines build`);
  assertNotExtension(dir, config);
  if (config.status !== 'complete' || typeof config.seed !== 'number') throw incompleteBase(dir, config.status, 'lines');
  const evaluationTexts = manifestTexts(dir, EVALUATION_SPLITS, readLineManifest);
  const heldOutFamilies = new Set([...(config.fonts?.['heldout-dev'] ?? []), ...(config.fonts?.['heldout-test'] ?? [])]);
  return { dir: resolve(dir), seed: config.seed, heldOutFamilies, evaluationTexts };
}

/**
 * The train lines of `plan` that may join `base`'s train split (their ids unchanged, so a
 * resumed build finds its images). Throws where the plan would repeat base's lines (the same seed).
 */
export function extensionLines(plan: readonly PlannedLine[], seed: number, base: ExtendedLinesCorpus): { lines: PlannedLine[]; dropped: LinesExtensionDropped } {
  assertOtherSeed(base.dir, seed, base.seed, 'lines');
  const dropped: LinesExtensionDropped = { text: 0, family: 0 };
  const lines = plan.filter((l) => {
    if (l.split !== 'train') return false;
    if (base.evaluationTexts.has(l.text)) { dropped.text++; return false; }
    if (base.heldOutFamilies.has(l.font.family)) { dropped.family++; return false; }
    return true;
  });
  return { lines, dropped };
}
