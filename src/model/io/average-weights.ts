/**
 * Weight averaging: a model whose every weight is the (weighted) mean of the same weight in
 * several models of one architecture. Checkpoints of one run, or fine-tunes from one
 * start, lie in one basin of the loss, and their average often reads better than each
 * (stochastic weight averaging; "model soups"), at no cost when it runs. Models trained
 * from different random starts do not average into a working model; only dev scores can
 * tell, so the architecture is all that is checked here.
 */
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { loadModelWeights } from '../model-kind.js';
import { writeCheckpointFile } from './checkpoint.js';
import { assertModelDir, copyModelDir } from './model-dir-copy.js';

/** The weights given, or equal ones; each finite and at least 0, normalised to sum to 1. */
function normalisedWeights(count: number, weights?: readonly number[]): number[] {
  const w = weights ?? Array.from({ length: count }, () => 1);
  if (w.length !== count) throw new Error(`average: ${w.length} weights for ${count} models`);
  if (w.some((x) => !Number.isFinite(x) || x < 0)) throw new Error(`average: weights must be finite and at least 0 (got ${w.join(', ')})`);
  const sum = w.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new Error('average: the weights sum to 0');
  return w.map((x) => x / sum);
}

/**
 * Writes to `dst` a model file (float32) whose weights are the mean of the models in the
 * checkpoint files `srcs` (model.safetensors or a run's ckpt-N.safetensors; float32 or
 * float16; a run's training state is left out), weighted by `weights` (default equal).
 * Throws, naming the file, for fewer than two models, a damaged file, or a model whose
 * architecture differs from the first's.
 */
export function writeAveragedWeights(srcs: readonly string[], dst: string, weights?: readonly number[]): void {
  if (srcs.length < 2) throw new Error(`average: needs at least two models (got ${srcs.length})`);
  const w = normalisedWeights(srcs.length, weights);
  const first = loadModelWeights(srcs[0]!);
  try {
    const sum = new Float64Array(first.params.size);
    srcs.forEach((src, i) => {
      const model = i === 0 ? first : loadModelWeights(src);
      try {
        if (!isDeepStrictEqual(model.config, first.config)) {
          throw new Error(`average: ${src} is not the architecture of ${srcs[0]} (config ${JSON.stringify(model.config)} vs ${JSON.stringify(first.config)})`);
        }
        const data = model.params.data;
        for (let j = 0; j < data.length; j++) sum[j]! += w[i]! * data[j]!;
      } finally {
        if (i > 0) model.dispose();
      }
    });
    first.params.data.set(sum);
    writeCheckpointFile(dst, first);
  } finally {
    first.dispose();
  }
}

/**
 * Copies the model directory `srcDirs[0]` to `dstDir` (new or empty) with the averaged
 * weights of every directory in `srcDirs` ({@link writeAveragedWeights}): the first
 * directory's config, LM and other files (not its model card, which describes other
 * weights); config `info.averageOf` lists the sources and their weights. Returns the files
 * written.
 */
export function averageModelDirs(srcDirs: readonly string[], dstDir: string, weights?: readonly number[]): string[] {
  for (const dir of srcDirs) assertModelDir(dir);
  const w = normalisedWeights(srcDirs.length, weights);
  return copyModelDir(
    srcDirs[0]!, dstDir,
    (path) => writeAveragedWeights(srcDirs.map((d) => join(d, 'model.safetensors')), path, w),
    {
      info: { averageOf: srcDirs.map((model, i) => ({ model, weight: w[i] })) },
      omit: ['MODEL_CARD.md'],
    },
  );
}
