import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CtcModel } from '../../src/model/ctc-model.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { EarlyStopping } from '../../src/train/early-stopping.js';
import { Adam } from '../../src/train/optimizers.js';
import { readSafetensors, writeSafetensors } from '../../src/model/io/safetensors.js';
import { Trainer, type TrainerOptions } from '../../src/train/trainer.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { randomBatches } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-ckpt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('safetensors', () => {
  it('writes the standard layout and reads it back exactly', () => {
    const path = join(dir, 'plain.safetensors');
    const a = Float32Array.from([1.5, -0, NaN, Infinity, 3e-42]);
    const b = Float64Array.from([Math.PI]);
    const c = Int32Array.from([-7, 2 ** 31 - 1]);
    writeSafetensors(path, [['a', { shape: [5], data: a }], ['b', { shape: [1, 1], data: b }], ['c', { shape: [2], data: c }]], { note: 'x' });
    const buf = readFileSync(path);
    const n = Number(buf.readBigUInt64LE(0));
    assert.equal((8 + n) % 8, 0, 'data starts 8-byte aligned');
    const header = JSON.parse(buf.toString('utf8', 8, 8 + n)) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    assert.deepEqual(header['a'], { dtype: 'F32', shape: [5], data_offsets: [0, 20] });
    assert.deepEqual(header['b'], { dtype: 'F64', shape: [1, 1], data_offsets: [20, 28] });
    assert.deepEqual(header['c'], { dtype: 'I32', shape: [2], data_offsets: [28, 36] });
    assert.deepEqual(header['__metadata__'], { note: 'x' });
    assert.equal(buf.length, 8 + n + 36);
    assert.equal(buf.readFloatLE(8 + n + 4), -0);
    const back = readSafetensors(path);
    assert.deepEqual(bits(back.tensors.get('a')!.data as Float32Array), bits(a));
    assert.deepEqual(back.tensors.get('b')!.data, b);
    assert.deepEqual(back.tensors.get('c')!.data, c);
    assert.deepEqual(back.metadata, { note: 'x' });
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('reports damaged files', () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    assert.throws(() => readSafetensors(path), /shorter than the 8-byte/);
    const buf = Buffer.alloc(16);
    buf.writeBigUInt64LE(100n);
    writeFileSync(path, buf);
    assert.throws(() => readSafetensors(path), /runs past the end/);
    writeSafetensors(path, [['a', { shape: [2], data: new Float32Array(2) }]]);
    const good = readFileSync(path);
    writeFileSync(path, good.subarray(0, good.length - 4));
    assert.throws(() => readSafetensors(path), /tensor "a": bad data_offsets/);
  });

  it('a failed write leaves the previous file intact', () => {
    const path = join(dir, 'keep.safetensors');
    writeSafetensors(path, [['a', { shape: [1], data: Float32Array.from([1]) }]]);
    assert.throws(() => writeSafetensors(path, [['a', { shape: [3], data: Float32Array.from([2]) }]]), /1 values for shape \[3\]/);
    assert.deepEqual(readSafetensors(path).tensors.get('a')!.data, Float32Array.from([1]));
  });
});

const config = { inputDim: 3, hiddenSize: 4, numLayers: 2, numClasses: 5 };
const backends = await availableBackends();
for (const be of backends) {
  describe(`checkpoints on ${backendLabel(be)}`, () => {
    it('round-trip model, optimiser state and early-stopping weights bit for bit', () => {
      const model = new CtcModel({ ...config, frameStack: 2, frameStride: 2 }, { backend: be, seed: 5 });
      const opt = new Adam();
      const g = Float32Array.from({ length: model.params.size }, (_, i) => Math.sin(i));
      opt.step(model.params.data, g, 0.01);
      const es = new EarlyStopping({ patience: 3, mode: 'max' });
      es.update(0.25, model.params.data);
      const path = join(dir, `model-${backendLabel(be)}.safetensors`);
      saveCheckpoint(path, model, { optimizer: opt, trainer: { step: 1 }, earlyStopping: es });
      const back = loadCheckpoint(path, { backend: be });
      assert.deepEqual(back.model.config, model.config);
      assert.deepEqual(bits(back.model.params.data), bits(model.params.data));
      const s1 = opt.state(), s2 = back.optimizer!.state();
      assert.deepEqual(s2.hyper, s1.hyper);
      for (const k of Object.keys(s1.tensors)) assert.deepEqual(bits(s2.tensors[k]!), bits(s1.tensors[k]!));
      assert.deepEqual(back.trainer, { step: 1 });
      assert.deepEqual(back.earlyStopping!.state, es.state());
      assert.deepEqual(bits(back.earlyStopping!.bestWeights!), bits(es.bestWeights!));
      // parameters are stored under PyTorch names with their shapes
      const file = readSafetensors(path);
      assert.deepEqual(file.tensors.get('lstm.weight_ih_l0_reverse')!.shape, [16, 6]);
      assert.deepEqual(JSON.parse(file.metadata['config']!), model.config);
    });

    it('training resumed from a checkpoint ends exactly where an uninterrupted run ends', () => {
      const batches = randomBatches(6, 3, 11);
      const options: TrainerOptions = {
        learningRate: 0.02, optimizer: { kind: 'adam' }, schedule: { kind: 'step', stepSize: 2, gamma: 0.5 },
        clipNorm: 1, weightNoise: 0.02, seed: 4,
      };
      // the CTC objective (the default loss)
      const straight = new Trainer(new CtcModel(config, { backend: be, seed: 6 }), options);
      const losses: number[] = batches.map((b) => straight.trainStep(b).loss);
      assert.ok(losses.every((l) => Number.isFinite(l) && l > 0), `real CTC losses: ${losses.join(', ')}`);

      const first = new Trainer(new CtcModel(config, { backend: be, seed: 6 }), options);
      const resumedLosses: number[] = batches.slice(0, 3).map((b) => first.trainStep(b).loss);
      const path = join(dir, `resume-${backendLabel(be)}.safetensors`);
      first.save(path);
      const { trainer: second } = Trainer.resume(path, undefined, { backend: be });
      assert.equal(second.step, 3);
      for (const b of batches.slice(3)) resumedLosses.push(second.trainStep(b).loss);
      assert.deepEqual(resumedLosses, losses);
      assert.deepEqual(bits(second.model.params.data), bits(straight.model.params.data));
      assert.deepEqual(second.rng.state(), straight.rng.state());
    });
  });
}
