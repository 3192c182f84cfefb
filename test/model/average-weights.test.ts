import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CtcModel } from '../../src/model/ctc-model.js';
import { averageModelDirs, writeAveragedWeights } from '../../src/model/io/average-weights.js';
import { exportHalfPrecisionDir } from '../../src/model/io/half-precision.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { readSafetensors } from '../../src/model/io/safetensors.js';
import { writeTinyModelDir } from '../helpers/tiny-model.js';

/** A 1-layer BiLSTM CTC model directory drawn from `seed` (hidden `hidden`). */
function tiny(name: string, seed: number, hidden = 16): string {
  return writeTinyModelDir(name, (tokenizer) =>
    new CtcModel({ inputDim: 20, hiddenSize: hidden, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2 }, { seed }));
}

const weightsOf = (dir: string) => readSafetensors(join(dir, 'model.safetensors')).tensors;

describe('weight averaging', () => {
  it('each weight is the weighted mean of the same weight in every model (slow loop over the files), with the first directory\'s config and LM, no card, and the sources recorded', () => {
    const a = tiny('a', 1), b = tiny('b', 2), c = tiny('c', 3);
    writeFileSync(join(a, 'MODEL_CARD.md'), '# a\n');
    const out = join(mkdtempSync(join(tmpdir(), 'sayre-avg-')), 'avg');
    averageModelDirs([a, b, c], out, [2, 1, 1]);
    const [ta, tb, tc, tout] = [a, b, c, out].map(weightsOf);
    assert.deepEqual([...tout!.keys()], [...ta!.keys()]);
    for (const [name, t] of tout!) {
      assert.equal(t.dtype, 'F32');
      const x = ta!.get(name)!.data, y = tb!.get(name)!.data, z = tc!.get(name)!.data;
      for (let i = 0; i < t.data.length; i++) {
        const want = 0.5 * x[i]! + 0.25 * y[i]! + 0.25 * z[i]!;
        assert.ok(Math.abs(t.data[i]! - want) <= 1e-7 * Math.max(1, Math.abs(want)), `${name}[${i}]: ${t.data[i]} vs ${want}`);
      }
    }
    assert.ok(!readdirSync(out).includes('MODEL_CARD.md'), 'a card of the first model would describe other weights');
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { info: { averageOf: { model: string; weight: number }[] } };
    assert.deepEqual(config.info.averageOf, [{ model: a, weight: 0.5 }, { model: b, weight: 0.25 }, { model: c, weight: 0.25 }]);
    // it loads and runs like any model directory
    const loaded = loadModelDir(out);
    const y = (loaded.model as CtcModel).infer(new Float32Array(30 * 20).fill(0.1), [30, 1, 20], [30]).logits;
    assert.ok(y.every(Number.isFinite));
  });

  it('a model averaged with itself is itself, bit for bit; a half-precision copy averages as its widened values', () => {
    const a = tiny('same', 5);
    const dir = mkdtempSync(join(tmpdir(), 'sayre-avg-'));
    const half = join(dir, 'half');
    exportHalfPrecisionDir(a, half);
    writeAveragedWeights([join(a, 'model.safetensors'), join(a, 'model.safetensors')], join(dir, 'self.safetensors'));
    writeAveragedWeights([join(half, 'model.safetensors'), join(half, 'model.safetensors')], join(dir, 'half-self.safetensors'), [3, 1]);
    const self = readSafetensors(join(dir, 'self.safetensors')).tensors, halfSelf = readSafetensors(join(dir, 'half-self.safetensors')).tensors;
    for (const [name, t] of weightsOf(a)) assert.deepEqual(self.get(name)!.data, t.data, name);
    for (const [name, t] of weightsOf(half)) assert.deepEqual(halfSelf.get(name)!.data, t.data, name);
  });

  it('refuses another architecture, fewer than two models, bad weights, and leaves nothing behind', () => {
    const a = tiny('a', 1), wide = tiny('wide', 2, 24);
    const out = mkdtempSync(join(tmpdir(), 'sayre-avg-out-'));
    assert.throws(() => averageModelDirs([a, wide], join(out, 'x')), new RegExp(`${wide}/model.safetensors is not the architecture of`));
    assert.deepEqual(readdirSync(out), []);
    assert.throws(() => averageModelDirs([a], join(out, 'x')), /needs at least two models/);
    assert.throws(() => averageModelDirs([a, a], join(out, 'x'), [1]), /1 weights for 2 models/);
    assert.throws(() => averageModelDirs([a, a], join(out, 'x'), [1, -1]), /finite and at least 0/);
    assert.throws(() => averageModelDirs([a, a], join(out, 'x'), [0, 0]), /sum to 0/);
    assert.throws(() => averageModelDirs([a, out], join(out, 'x')), /not a model directory/);
    assert.deepEqual(readdirSync(out), []);
  });
});
