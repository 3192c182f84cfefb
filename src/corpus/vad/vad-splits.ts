/**
 * The VAD sets of a speech corpus built by `sayre corpus` (recipes/english.sh): training
 * examples from the train split's speakers, choosing (the threshold) on the held-out dev
 * speakers, and the reported figures on the held-out test speakers, so no speaker's voice
 * is in two of them (babble included: it is made of each set's own clips). Minutes of
 * audio each, fixed seeds: the recipe (recipes/vad.mjs) and the bench (bench/vad.bench.ts)
 * build the same sets.
 */
import { join } from 'node:path';
import { readVadClips } from './vad-clips.js';
import { buildVadSet, type VadExample } from './vad-set.js';

/** The three sets. */
export type VadSplit = 'train' | 'dev' | 'test';

/** Where each set's utterances come from, how many are read, how many examples are built of them, and the seed. */
export const VAD_SPLITS: Readonly<Record<VadSplit, { manifest: string; clips: number; examples: number; seed: number }>> = {
  train: { manifest: 'train.jsonl', clips: 400, examples: 120, seed: 1 },
  dev: { manifest: 'dev-speakers.jsonl', clips: 150, examples: 40, seed: 2 },
  test: { manifest: 'test-speakers.jsonl', clips: 250, examples: 100, seed: 3 },
};

/** The examples of `split` from the corpus in `corpusDir` (every SNR equally often), at 16 kHz. */
export function buildVadSplit(corpusDir: string, split: VadSplit): { examples: VadExample[]; speakers: string[] } {
  const s = VAD_SPLITS[split];
  const { clips, speakers } = readVadClips(join(corpusDir, s.manifest), { seed: s.seed, count: s.clips });
  return { examples: buildVadSet(clips, 16000, { seed: s.seed, examples: s.examples }), speakers: [...new Set(speakers)].sort() };
}
