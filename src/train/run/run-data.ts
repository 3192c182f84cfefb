/**
 * A run's data: the training and dev sets as cached, normalised features with their label
 * sequences, the training items long enough for their transcripts, and their batches.
 */
import { readJsonFile } from '../../util/read-json.js';
import { naming } from '../../util/naming.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Cmvn, CmvnAccumulator } from '../../audio/cmvn.js';
import { specAugment } from '../../audio/spec-augment.js';
import { batchPlanFingerprint } from '../../data/batching.js';
import type { BatchingOptions } from '../../data/batching.js';
import { padFeatures } from '../../data/pad-batch.js';
import { Random } from '../../math/random.js';
import type { CtcModelConfig } from '../../model/config.js';
import { crnnReduction, isCrnnConfig, type ResolvedCrnnModelConfig } from '../../model/crnn-config.js';
import { stackedLength } from '../../model/frame-stacking.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { Features } from '../../util/features.js';
import type { StartProgress } from '../../util/progress.js';
import type { Batch } from '../trainer.js';
import type { CachedFeatureSet } from './cached-feature-set.js';
import { cachedFeatures } from './feature-cache.js';
import { perturbFeatures } from './feature-perturbation.js';
import { perturbLine } from './line-perturbation.js';
import { batchingOf, type TrainingRecipe } from './run-config.js';
import { type InputItem, runInput } from './run-input.js';
import type { OpenRun } from './run-open.js';

/** Labelled, normalised features of one manifest. */
export interface LabelledSet {
  entries: InputItem[];
  feats: CachedFeatureSet;
  targets: Int32Array[];
}

/** What a run trains and evaluates on. */
export interface RunData {
  train: LabelledSet;
  dev: LabelledSet;
  /** Feature statistics of the training set (speech); null for line images. */
  cmvn: Cmvn | null;
  /** The training items long enough for their transcripts (indices into train). */
  trainIdx: number[];
  /** Their frame counts. */
  lengths: number[];
  batching: BatchingOptions;
  /** The batch plan's fingerprint: a resumed run checks that its data did not change. */
  fingerprint: string;
  /** Perturbation of train item `i`'s features (training.featurePerturbation or linePerturbation), or null. */
  perturb: ((f: Features, rng: Random, i: number) => Features) | null;
}

/**
 * Reads both manifests (features from the run's cache; a set over `featureMemory` bytes is
 * read from it per batch), normalises them and picks the trainable items.
 */
export async function prepareData(run: OpenRun, say: (m: string) => void, progress: StartProgress | null, featureMemory?: number): Promise<RunData> {
  const input = runInput(run.config.frontEnd);
  const load = async (name: string, manifests: readonly string[]): Promise<LabelledSet> => {
    const parts = manifests.map((manifest) => {
      const items = input.read(manifest);
      if (items.length === 0) throw new Error(`${manifest}: the manifest is empty`);
      return { manifest, items };
    });
    const entries = parts.flatMap((p) => p.items);
    const targets = parts.flatMap(({ manifest, items }) => items.map((e) => {
      try {
        return run.tokenizer.encode(e.text);
      } catch (err) {
        throw new Error(`${manifest}:${e.line}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }));
    const amount = entries.reduce((a, e) => a + e.amount, 0);
    const bar = progress?.({ total: amount, unit: input.unit, label: `features ${name}` });
    const t0 = performance.now(), rejectedBefore = input.rejected.length;
    const feats = await cachedFeatures(join(run.dir, 'features'), name, entries, input, {
      onProgress: (_done, s) => bar?.tick(s), ...(featureMemory !== undefined ? { memoryBytes: featureMemory } : {}),
    });
    bar?.update(amount); // all done (a cache hit ticks nothing)
    bar?.stop();
    say(`${name}: ${input.describe(entries)} (${((performance.now() - t0) / 1000).toFixed(1)} s to load features)`);
    const rejected = input.rejected.slice(rejectedBefore);
    if (rejected.length > 0) say(`${name}: left out ${rejected.length} item(s) the reader does not take: ${rejected.slice(0, 3).join('; ')}${rejected.length > 3 ? '; ...' : ''}`);
    return { entries, feats, targets };
  };
  const train = await load('train', run.train);
  const dev = await load('dev', [run.dev]);
  const cmvn = input.cmvn ? trainingCmvn(run.dir, train.feats) : null; // line images are normalised one by one (image/normalise.ts)
  if (cmvn) for (const set of [train.feats, dev.feats]) set.normalise((f) => { cmvn.apply(f); });

  // Utterances (images) too short for their transcript at the model's frame rate cannot be trained on.
  const usable = train.feats.frames.map((n, i) => outputFrames(run.modelConfig, n) >= ctcFrames(train.targets[i]!) && train.targets[i]!.length > 0);
  const trainIdx = usable.flatMap((ok, i) => (ok ? [i] : []));
  if (trainIdx.length === 0) throw new Error(`${run.train.join(', ')}: no item is long enough for its transcript at the model's frame rate`);
  if (trainIdx.length < train.feats.length) say(`train: left out ${train.feats.length - trainIdx.length} utterances too short for their transcripts`);
  const lengths = trainIdx.map((i) => train.feats.frames[i]!);
  const batching = batchingOf(run.config.training);
  const { featurePerturbation, linePerturbation } = run.config.training;
  const fe = run.config.frontEnd;
  const fits = (i: number) => (frames: number): boolean => outputFrames(run.modelConfig, frames) >= ctcFrames(train.targets[i]!);
  const perturb = featurePerturbation && 'fbank' in fe
    ? (f: Features, rng: Random, i: number): Features => perturbFeatures(f, rng, featurePerturbation, fe.fbank, fe.sampleRate, fits(i))
    : linePerturbation
      ? (f: Features, rng: Random, i: number): Features => perturbLine(f, rng, linePerturbation, fits(i))
      : null;
  return { train, dev, cmvn, trainIdx, lengths, batching, fingerprint: batchPlanFingerprint(lengths, batching), perturb };
}

/** CMVN statistics over the training set, computed once and kept with the run (cmvn.json). */
function trainingCmvn(dir: string, feats: CachedFeatureSet): Cmvn {
  const path = join(dir, 'cmvn.json');
  if (existsSync(path)) {
    const json = readJsonFile(path, 'CMVN statistics');
    return naming(path, () => Cmvn.fromJSON(json));
  }
  // One streaming pass: a set larger than memory is read item by item.
  const acc = new CmvnAccumulator(feats.dim);
  for (let i = 0; i < feats.length; i++) acc.accumulate(feats.get(i));
  const cmvn = acc.finalise();
  writeFileAtomic(path, JSON.stringify(cmvn.toJSON()) + '\n');
  return cmvn;
}

/** The padded batch of training items `batch` (indices into trainIdx), augmented with a per-batch seed. */
export function makeBatch(data: RunData, recipe: TrainingRecipe, batch: readonly number[], epoch: number, index: number): Batch {
  let items = batch.map((j) => data.train.feats.get(data.trainIdx[j]!));
  const perturb = data.perturb;
  if (perturb) {
    // Its own seed stream: turning perturbation on leaves SpecAugment's masks as they were.
    const rng = new Random((recipe.seed * 1000003 + epoch * 7919 + index + 0x5bd1e995) >>> 0);
    items = items.map((f, k) => perturb(f, rng, data.trainIdx[batch[k]!]!));
  }
  if (recipe.specAugment) {
    const rng = new Random((recipe.seed * 1000003 + epoch * 7919 + index) >>> 0);
    items = items.map((f) => {
      const copy = { data: f.data.slice(), frames: f.frames, dim: f.dim };
      specAugment(copy, rng, recipe.specAugment!);
      return copy;
    });
  }
  const p = padFeatures(items, items.map((_, i) => i));
  return { x: p.x, shape: p.shape, lengths: p.lengths, targets: batch.map((j) => data.train.targets[data.trainIdx[j]!]!) };
}

/** Output frames of a model with `config` for an input of `frames` frames (or image columns). */
function outputFrames(config: CtcModelConfig | ResolvedCrnnModelConfig, frames: number): number {
  return isCrnnConfig(config) ? Math.floor(frames / crnnReduction(config as ResolvedCrnnModelConfig).columnStride) : stackedLength(frames, (config as CtcModelConfig).frameStride!);
}

/** CTC needs at least one output frame per label, plus one between repeated labels. */
function ctcFrames(target: Int32Array): number {
  let n = target.length;
  for (let i = 1; i < target.length; i++) if (target[i] === target[i - 1]) n++;
  return n;
}
