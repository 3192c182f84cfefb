import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CtcModel } from '../../src/model/ctc-model.js';
import { exportOnnx } from '../../src/model/export/export-onnx.js';
import { loadModelDir } from '../../src/recognizer/model-dir.js';
import { assertClose, rng } from '../helpers/compare.js';
import { onnxRuntime, runOnnx } from './onnx-runtime.js';

const ort = onnxRuntime();
const skip = typeof ort === 'string' ? ort : false;
const ENGLISH = new URL('../../../models/english/', import.meta.url).pathname;

/** Random features [T, B, F] (time-major, sayre's layout) with garbage past each length, and the same batch-major for ONNX. */
function batch(T: number, F: number, lengths: number[], seed: number): { tbf: Float32Array; btf: Float32Array } {
  const next = rng(seed), B = lengths.length;
  const tbf = new Float32Array(T * B * F), btf = new Float32Array(T * B * F);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < F; f++) {
        const v = t < lengths[b]! ? 2 * next() - 1 : 50; // sayre never reads padding: neither may the export
        tbf[(t * B + b) * F + f] = v;
        btf[(b * T + t) * F + f] = v;
      }
    }
  }
  return { tbf, btf };
}

/** Sayre's logits [T', B, C] against ONNX's [B, T', C], every frame (padding is zero in both). */
async function compareCtc(model: CtcModel, lengths: number[], T: number, seed: number): Promise<void> {
  const c = model.config, B = lengths.length;
  const dir = mkdtempSync(join(tmpdir(), 'sayre-onnx-'));
  const [path] = exportOnnx(model, dir);
  const { tbf, btf } = batch(T, c.inputDim, lengths, seed);
  const ref = model.infer(tbf, [T, B, c.inputDim], lengths);
  const out = await runOnnx(path!, { x: { data: btf, dims: [B, T, c.inputDim] }, x_lens: { data: BigInt64Array.from(lengths, BigInt), dims: [B] } });
  const [T2, , C] = ref.shape;
  assert.deepEqual([...(out['logit_lens'] as BigInt64Array)].map(Number), [...ref.lengths]);
  const logits = out['logits'] as Float32Array;
  assert.equal(logits.length, T2 * B * C);
  const asTbc = new Float32Array(logits.length);
  for (let b = 0; b < B; b++) for (let t = 0; t < T2; t++) asTbc.set(logits.subarray((b * T2 + t) * C, (b * T2 + t + 1) * C), (t * B + b) * C);
  assertClose(asTbc, ref.logits, 1e-4, 'ONNX logits');
}

describe('ONNX export of CTC models (run in onnxruntime-node)', { skip }, () => {
  it('the bundled English model (3x176 BiLSTM, frames stacked 3 every 3) gives sayre\'s logits within 1e-4 on a ragged batch', async () => {
    const { model } = loadModelDir(ENGLISH);
    await compareCtc(model as CtcModel, [61, 40, 17], 61, 1);
  });

  it('a unidirectional 2-layer model without stacking, and one stacking 2 frames every 3', async () => {
    await compareCtc(new CtcModel({ inputDim: 6, hiddenSize: 5, numLayers: 2, numClasses: 4, bidirectional: false }, { seed: 3 }), [9, 4, 1], 9, 2);
    await compareCtc(new CtcModel({ inputDim: 5, hiddenSize: 7, numLayers: 1, numClasses: 6, frameStack: 2, frameStride: 3 }, { seed: 4 }), [10, 8, 3, 1], 11, 3);
  });
});
