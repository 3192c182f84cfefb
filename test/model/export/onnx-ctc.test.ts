import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CtcModel } from '../../../src/model/ctc-model.js';
import { exportOnnx } from '../../../src/model/export/export-onnx.js';
import { CmvnAccumulator } from '../../../src/audio/cmvn.js';
import { FbankExtractor } from '../../../src/audio/fbank.js';
import { resample } from '../../../src/audio/resample.js';
import { readWav } from '../../../src/audio/wav-read.js';
import { loadModelDir } from '../../../src/model/io/model-dir.js';
import { assertClose, rng } from '../../helpers/compare.js';
import { onnxRuntime, runOnnx } from './onnx-runtime.js';

const ort = onnxRuntime();
const skip = typeof ort === 'string' ? ort : false;
const ENGLISH = new URL('../../../../models/english/', import.meta.url).pathname;

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

  it('model-from-samples.onnx (filterbank and global CMVN inside) gives the bundled model\'s logits from samples within 1e-4', async () => {
    const loaded = loadModelDir(ENGLISH);
    const model = loaded.model as CtcModel, rate = loaded.frontEnd.sampleRate;
    // The graph holds global CMVN only (a sliding-window model exports features-in graphs):
    // the bundled weights under global statistics of the clips themselves, whichever CMVN the bundled model uses.
    const frontEnd = { sampleRate: rate, fbank: loaded.frontEnd.fbank };
    const clips = ['hello.wav', 'call.wav'].map((f) => {
      const w = readWav(new URL(`../../../../samples/${f}`, import.meta.url).pathname);
      return w.sampleRate === rate ? w.samples : resample(w.samples, w.sampleRate, rate);
    });
    // the reference: sayre's float64 filterbank kernel (the graph's filterbank is float64 too), CMVN, the model
    const fbank = new FbankExtractor(rate, loaded.frontEnd.fbank, 'js');
    const stats = new CmvnAccumulator(model.config.inputDim);
    for (const c of clips) stats.accumulate(fbank.compute(c));
    const cmvn = stats.finalise();
    const dir = mkdtempSync(join(tmpdir(), 'sayre-onnx-fe-'));
    const paths = exportOnnx(model, dir, { frontEnd: { ...frontEnd, cmvn: cmvn.toJSON() } });
    assert.match(paths[1]!, /model-from-samples\.onnx$/);
    const S = Math.max(...clips.map((c) => c.length)) + 123, B = clips.length;
    const samples = new Float32Array(B * S).fill(0.25); // junk past each clip's end
    clips.forEach((c, b) => samples.set(c, b * S));
    const feats = clips.map((c) => cmvn.apply(fbank.compute(c)));
    const T = Math.max(...feats.map((f) => f.frames)), F = feats[0]!.dim;
    const x = new Float32Array(T * B * F);
    feats.forEach((f, b) => { for (let t = 0; t < f.frames; t++) x.set(f.data.subarray(t * F, (t + 1) * F), (t * B + b) * F); });
    const ref = model.infer(x, [T, B, F], feats.map((f) => f.frames));
    const out = await runOnnx(paths[1]!, { samples: { data: samples, dims: [B, S] }, samples_lens: { data: BigInt64Array.from(clips, (c) => BigInt(c.length)), dims: [B] } });
    assert.deepEqual([...(out['logit_lens'] as BigInt64Array)].map(Number), [...ref.lengths]);
    // the graph's batch is as long as the longest padded clip: past sayre's frames it must be zero
    const [T2, , C] = ref.shape, logits = out['logits'] as Float32Array, To = logits.length / (B * C);
    assert.ok(To >= T2);
    const asTbc = new Float32Array(ref.logits.length);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < To; t++) {
        const row = logits.subarray((b * To + t) * C, (b * To + t + 1) * C);
        if (t < T2) asTbc.set(row, (t * B + b) * C);
        else assert.ok(row.every((v) => v === 0), `frame ${t} of clip ${b} is padding`);
      }
    }
    assertClose(asTbc, ref.logits, 1e-4, 'ONNX logits from samples');
  });

  it('a unidirectional 2-layer model without stacking, and one stacking 2 frames every 3', async () => {
    await compareCtc(new CtcModel({ inputDim: 6, hiddenSize: 5, numLayers: 2, numClasses: 4, bidirectional: false }, { seed: 3 }), [9, 4, 1], 9, 2);
    await compareCtc(new CtcModel({ inputDim: 5, hiddenSize: 7, numLayers: 1, numClasses: 6, frameStack: 2, frameStride: 3 }, { seed: 4 }), [10, 8, 3, 1], 11, 3);
  });
});
