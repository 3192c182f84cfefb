/**
 * Widening a trained CTC model (Net2Net's "wider" step, Chen et al. 2016): a model with
 * more LSTM units per layer that computes exactly what the narrower one computed, so that
 * training goes on from the trained model with room to learn more instead of starting a
 * larger network from nothing. The old units keep their weights; the new units get fresh
 * random weights into them, and every weight out of a new unit (to the next layer, to its
 * own layer's recurrence, to the output layer) starts at zero, so nothing reads them until
 * training moves those weights.
 */
import { join } from 'node:path';
import { CtcModel } from '../ctc-model.js';
import { loadModelWeights } from '../model-kind.js';
import { writeCheckpointFile } from './checkpoint.js';
import { assertModelDir, copyModelDir } from './model-dir-copy.js';

/**
 * Copies `src` [rows, cols] into the top-left of `dst` [dstRows, dstCols] with a row and a
 * column map (old index -> new index); every other entry of a mapped row is set to zero.
 */
function scatter(
  src: Float32Array, rows: number, cols: number, dst: Float32Array, dstCols: number,
  rowOf: (r: number) => number, colOf: (c: number) => number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = rowOf(r) * dstCols;
    dst.fill(0, o, o + dstCols);
    for (let c = 0; c < cols; c++) dst[o + colOf(c)] = src[r * cols + c]!;
  }
}

/**
 * A CTC model like `src` with `hiddenSize` units per LSTM layer and direction (at least
 * src's), whose outputs equal src's on every input. New units' incoming weights are drawn
 * from `seed` as a fresh model's are. Works for bidirectional, unidirectional and
 * latency-controlled stacks (they share one parameter layout).
 */
export function widenCtcModel(src: CtcModel, hiddenSize: number, seed = 1): CtcModel {
  const H = src.config.hiddenSize;
  if (!Number.isInteger(hiddenSize) || hiddenSize < H) {
    throw new Error(`widen: the new hidden size must be an integer of at least the model's ${H} (got ${hiddenSize})`);
  }
  const wide = new CtcModel({ ...src.config, hiddenSize }, { backend: src.backend, seed });
  const W = hiddenSize, D = src.config.bidirectional ? 2 : 1;
  const unit = (j: number): number => Math.floor(j / H) * W + (j % H); // gate-major rows [i f g o] x H
  const feature = (c: number): number => Math.floor(c / H) * W + (c % H); // [forward H, backward H]
  const same = (i: number): number => i;
  const copy = (name: string, rowOf: (r: number) => number, colOf: (c: number) => number): void => {
    const [rows, cols = 1] = src.params.entry(name).shape;
    scatter(src.params.value(name), rows!, cols, wide.params.value(name), wide.params.entry(name).shape[1] ?? 1, rowOf, colOf);
  };
  for (let k = 0; k < src.config.numLayers; k++) {
    for (const suffix of D === 2 ? ['', '_reverse'] : ['']) {
      copy(`lstm.weight_ih_l${k}${suffix}`, unit, k === 0 ? same : feature);
      copy(`lstm.weight_hh_l${k}${suffix}`, unit, same);
      copy(`lstm.bias_ih_l${k}${suffix}`, unit, same);
      copy(`lstm.bias_hh_l${k}${suffix}`, unit, same);
    }
  }
  copy('fc.weight', same, feature);
  copy('fc.bias', same, same);
  wide.params.upload();
  return wide;
}

/**
 * Copies the CTC model directory `srcDir` to `dstDir` (new or empty) widened to
 * `hiddenSize` units ({@link widenCtcModel}): config, CMVN and LM as they are, config
 * `model.hiddenSize` changed and `info.widenedFrom` naming the source; its model card is
 * left behind. Returns the files written.
 */
export function widenModelDir(srcDir: string, dstDir: string, hiddenSize: number, seed = 1): string[] {
  assertModelDir(srcDir);
  const src = loadModelWeights(join(srcDir, 'model.safetensors'));
  try {
    if (!(src instanceof CtcModel)) throw new Error(`widen: ${srcDir} is not a CTC speech model (only those can be widened)`);
    const wide = widenCtcModel(src, hiddenSize, seed);
    try {
      return copyModelDir(srcDir, dstDir, (path) => writeCheckpointFile(path, wide), {
        editConfig: (config) => { config['model'] = { ...(config['model'] as Record<string, unknown>), hiddenSize }; },
        info: { widenedFrom: { model: srcDir, hiddenSize: src.config.hiddenSize } },
        omit: ['MODEL_CARD.md'],
      });
    } finally {
      wide.dispose();
    }
  } finally {
    src.dispose();
  }
}
