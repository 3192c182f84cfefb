import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { float16Bits, float16Value } from '../../src/math/float16.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { restoreWeights } from '../../src/model/io/checkpoint.js';
import { exportHalfPrecisionDir, writeHalfPrecisionWeights } from '../../src/model/io/half-precision.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { readSafetensors, writeSafetensors } from '../../src/model/io/safetensors.js';
import { initWeightsFrom } from '../../src/train/init-weights.js';
import { maxAbsDiff, rng } from '../helpers/compare.js';
import { makeTinyModelDir } from '../helpers/tiny-model.js';

/** A tiny model directory whose config takes its LM from a sibling folder, as bundled models share one. */
function modelWithSiblingLm(): string {
  const dir = makeTinyModelDir('tiny-f32');
  const lmDir = join(dirname(dir), 'shared-lm');
  mkdirSync(lmDir);
  writeFileSync(join(lmDir, 'lm.arpa'), '\\data\\\nngram 1=3\n\n\\1-grams:\n-1 </s>\n-99 <s>\n-0.5 a\n\n\\end\\\n');
  writeFileSync(join(lmDir, 'words.arpa'), '\\data\\\nngram 1=3\n\n\\1-grams:\n-1 </s>\n-99 <s>\n-0.5 ab\n\n\\end\\\n');
  const configPath = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  config['lm'] = { file: '../shared-lm/lm.arpa', unit: 'char', alpha: 0.5, beta: 1, beamWidth: 8, wordLm: { file: '../shared-lm/words.arpa', alpha: 0.3 } };
  writeFileSync(configPath, JSON.stringify(config));
  writeFileSync(join(dir, 'MODEL_CARD.md'), '# tiny\n');
  return dir;
}

describe('weights at half precision', () => {
  it('a model directory copied at half precision: half the bytes, each weight rounded to binary16, the same logits within rounding, a standalone LM', () => {
    const src = modelWithSiblingLm();
    const dst = join(mkdtempSync(join(tmpdir(), 'sayre-f16-')), 'tiny-f16');
    exportHalfPrecisionDir(src, dst);
    const before = readSafetensors(join(src, 'model.safetensors')), after = readSafetensors(join(dst, 'model.safetensors'));
    assert.ok(statSync(join(dst, 'model.safetensors')).size < 0.6 * statSync(join(src, 'model.safetensors')).size);
    assert.deepEqual([...after.tensors.keys()], [...before.tensors.keys()]);
    for (const [name, t] of before.tensors) {
      const h = after.tensors.get(name)!;
      assert.equal(h.dtype, 'F16', name);
      assert.deepEqual(h.shape, t.shape);
      assert.deepEqual(h.data, Float32Array.from(t.data, (x) => float16Value(float16Bits(x))), name);
    }
    const config = JSON.parse(readFileSync(join(dst, 'config.json'), 'utf8')) as { lm: { file: string; wordLm: { file: string } } };
    assert.deepEqual([config.lm.file, config.lm.wordLm.file], ['lm.arpa', 'words.arpa']);
    for (const f of ['lm.arpa', 'words.arpa']) assert.deepEqual(readFileSync(join(dst, f)), readFileSync(join(dirname(src), 'shared-lm', f)));
    assert.equal(readFileSync(join(dst, 'MODEL_CARD.md'), 'utf8'), '# tiny\n');

    const a = loadModelDir(src), b = loadModelDir(dst);
    assert.ok(b.lm?.loadWord(), 'the copy decodes with its LMs by default');
    const next = rng(3), T = 30, F = 20;
    const x = Float32Array.from({ length: T * F }, () => 2 * next() - 1);
    const la = (a.model as CtcModel).infer(x, [T, 1, F], [T]).logits, lb = (b.model as CtcModel).infer(x, [T, 1, F], [T]).logits;
    const diff = maxAbsDiff(la, lb), scale = Math.max(...la.map(Math.abs));
    assert.ok(diff > 0 && diff < 2e-3 * scale, `logits moved by ${diff} (largest ${scale})`);
  });

  it('reads back into training (fine-tuning from a half-precision model) and tells a damaged file by its checksum', () => {
    const src = makeTinyModelDir('tiny-ft');
    const half = join(dirname(src), 'half.safetensors');
    const { bytesBefore, bytesAfter } = writeHalfPrecisionWeights(join(src, 'model.safetensors'), half);
    assert.ok(bytesAfter < 0.6 * bytesBefore);
    const model = new CtcModel({ inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: loadModelDir(src).tokenizer.size, frameStack: 2, frameStride: 2 }, { seed: 99 });
    initWeightsFrom(model, half);
    const file = readSafetensors(half);
    for (const e of model.params.entries) assert.deepEqual(model.params.value(e.name), file.tensors.get(e.name)!.data);

    const bytes = readFileSync(half);
    bytes[bytes.length - 3]! ^= 0x10;
    const damaged = join(dirname(src), 'damaged.safetensors');
    writeFileSync(damaged, bytes);
    assert.throws(() => restoreWeights(readSafetensors(damaged), damaged, model), /checksum mismatch/);
  });

  it('refuses a value beyond binary16, a destination in use, and the model\'s own folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-f16-'));
    const big = join(dir, 'big.safetensors');
    writeSafetensors(big, [['w', { shape: [3], data: Float32Array.of(1, 70000, 2) }]]);
    assert.throws(() => writeHalfPrecisionWeights(big, join(dir, 'out.safetensors')), /"w" holds 70000 at index 1, beyond half precision's range/);
    const src = makeTinyModelDir('tiny-refuse');
    assert.throws(() => exportHalfPrecisionDir(src, src), /a folder of its own/);
    const used = join(dir, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'x'), '');
    assert.throws(() => exportHalfPrecisionDir(src, used), /exists and is not empty/);
    assert.throws(() => exportHalfPrecisionDir(dir, join(dir, 'new')), /not a model directory/);
    // a failure part way (damaged weights) leaves neither the destination nor a temporary folder
    const damaged = makeTinyModelDir('tiny-damaged');
    const bytes = readFileSync(join(damaged, 'model.safetensors'));
    bytes[bytes.length - 1]! ^= 0x40;
    writeFileSync(join(damaged, 'model.safetensors'), bytes);
    const out = mkdtempSync(join(tmpdir(), 'sayre-f16-out-'));
    assert.throws(() => exportHalfPrecisionDir(damaged, join(out, 'copy')), /checksum mismatch/);
    assert.deepEqual(readdirSync(out), []);
  });
});
