import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportOnnx } from '../../../src/model/export/export-onnx.js';
import { RnntModel } from '../../../src/model/transducer-model.js';
import { assertClose, rng } from '../../helpers/compare.js';
import { makeTinyRnntModelDir } from '../../helpers/tiny-rnnt-model.js';
import { onnxInputNames, onnxRuntime, runOnnx } from './onnx-runtime.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));

const ort = onnxRuntime();
const skip = typeof ort === 'string' ? ort : false;

describe('ONNX export of RNN-T models in sherpa-onnx\'s encoder / decoder / joiner layout', { skip }, () => {
  // two prediction layers, so that the per-layer state slicing is exercised
  const model = new RnntModel({
    type: 'rnnt', inputDim: 7, hiddenSize: 6, numLayers: 2, numClasses: 5, frameStack: 2, frameStride: 2,
    predEmbedDim: 4, predHiddenSize: 5, predNumLayers: 2, jointDim: 8,
  }, { seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'sayre-onnx-rnnt-'));
  const files = exportOnnx(model, dir, { tokens: ['<blk>', ' ', 'a', 'b', 'c'] });
  const path = (name: string): string => join(dir, name);

  it('writes the three graphs and tokens.txt', () => {
    assert.deepEqual(files.map((f) => basename(f)), ['encoder.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']);
    assert.equal(readFileSync(path('tokens.txt'), 'utf8'), '<blk> 0\n\u2581 1\na 2\nb 3\nc 4\n');
  });

  it('the encoder gives sayre\'s encoder projections within 1e-4', async () => {
    const lengths = [13, 6, 1], T = 13, B = 3, F = 7, next = rng(9);
    const tbf = new Float32Array(T * B * F), btf = new Float32Array(T * B * F);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) {
      const v = t < lengths[b]! ? 2 * next() - 1 : -9;
      tbf[(t * B + b) * F + f] = v;
      btf[(b * T + t) * F + f] = v;
    }
    const ref = RnntModel.splitOutput(model.infer(tbf, [T, B, F], lengths));
    const out = await runOnnx(path('encoder.onnx'), { x: { data: btf, dims: [B, T, F] }, x_lens: { data: BigInt64Array.from(lengths, BigInt), dims: [B] } });
    const lens = [...(out['encoder_out_lens'] as BigInt64Array)].map(Number);
    assert.deepEqual(lens, ref.map((r) => r.frames));
    const T2 = Math.max(...lens), J = 8, enc = out['encoder_out'] as Float32Array;
    ref.forEach((r, b) => assertClose(enc.subarray(b * T2 * J, b * T2 * J + r.frames * J), r.data, 1e-4, `encoder_out of sequence ${b}`));
  });

  it('the decoder carries its LSTM state in and out as sayre\'s prediction network does, and the joiner matches', async () => {
    let state = model.initialState();
    const L = 2, H = 5, J = 8;
    let h: Float32Array = new Float32Array(L * H), c: Float32Array = new Float32Array(L * H);
    const next = rng(3);
    for (const label of [0, 3, 2, 2, 4]) { // blank first: the start symbol
      const ref = model.predict(label, state);
      const out = await runOnnx(path('decoder.onnx'), {
        y: { data: BigInt64Array.from([BigInt(label)]), dims: [1, 1] }, h: { data: h, dims: [L, 1, H] }, c: { data: c, dims: [L, 1, H] },
      });
      assertClose(out['decoder_out'] as Float32Array, ref.output, 1e-4, `decoder_out after label ${label}`);
      h = out['next_h'] as Float32Array;
      c = out['next_c'] as Float32Array;
      for (let k = 0; k < L; k++) {
        assertClose(h.subarray(k * H, (k + 1) * H), ref.state.h[k]!, 1e-4, `next_h[${k}]`);
        assertClose(c.subarray(k * H, (k + 1) * H), ref.state.c[k]!, 1e-4, `next_c[${k}]`);
      }
      const frame = Float32Array.from({ length: J }, () => 2 * next() - 1);
      const logit = await runOnnx(path('joiner.onnx'), { encoder_out: { data: frame, dims: [1, J] }, decoder_out: { data: Float32Array.from(ref.output), dims: [1, J] } });
      assertClose(logit['logit'] as Float32Array, model.joint(frame, ref.output), 1e-4, 'joiner logit');
      state = ref.state;
    }
  });
});

describe('sayre export --onnx', { skip }, () => {
  it('writes an RNN-T model directory as encoder / decoder / joiner / tokens.txt with the front end in the metadata, and refuses a CRNN by name', async () => {
    const modelDir = makeTinyRnntModelDir('tiny-rnnt-export');
    const out = join(mkdtempSync(join(tmpdir(), 'sayre-export-')), 'onnx');
    const { stdout } = await run(process.execPath, [MAIN, 'export', '--onnx', out, '--model', modelDir]);
    assert.deepEqual(stdout.trim().split('\n').map((f) => basename(f)), ['encoder.onnx', 'decoder.onnx', 'joiner.onnx', 'tokens.txt']);
    assert.equal(readFileSync(join(out, 'tokens.txt'), 'utf8').split('\n')[0], '<blk> 0');
    assert.deepEqual(await onnxInputNames(join(out, 'encoder.onnx')), ['x', 'x_lens']);
    await assert.rejects(run(process.execPath, [MAIN, 'export', '--onnx', out, '--model', 'text-lines']), /text-line model \(CRNN\)/);
  });
});
