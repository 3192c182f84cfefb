/**
 * A trainer's device arrays go back to the backend when a new trainer takes over (the
 * weight-noise phase of a training run), so GPU memory does not grow at each switch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CtcModel } from '../../src/model/ctc-model.js';
import { Trainer } from '../../src/train/trainer.js';
import { TINY_CTC_CONFIG, tinyCtcBatch } from '../helpers/tiny-ctc-batch.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();

describe('Trainer.dispose on webgpu (SwiftShader)', { skip }, () => {
  it('frees the step buffers and optimiser state: trainer after trainer, the live device arrays stay level', async () => {
    const be = gpu!;
    const live = new Set<Float32Array>();
    const { alloc, free, array } = { alloc: be.alloc.bind(be), free: be.free.bind(be), array: be.array.bind(be) };
    be.alloc = (n: number) => {
      const a = alloc(n);
      live.add(a);
      return a;
    };
    be.free = (a: Float32Array) => {
      live.delete(a);
      free(a);
    };
    // array() hands out arrays that the garbage collector frees (a step's activations): not counted.
    be.array = (n: number) => {
      const a = array(n);
      live.delete(a);
      return a;
    };
    try {
      const model = new CtcModel(TINY_CTC_CONFIG, { backend: be, seed: 4 });
      const level: number[] = [];
      for (const [i, weightNoise] of [0, 0.01, 0.01].entries()) {
        const t = new Trainer(model, { learningRate: 0.01, optimizer: { kind: 'adam' }, clipNorm: 1, weightNoise, seed: i });
        for (const seed of [40, 41]) await t.trainStepAsync(tinyCtcBatch(seed));
        const before = live.size;
        const state = t.optimizer.deviceTensors!();
        assert.equal(state.length, 2, 'Adam keeps two moments on the device');
        t.dispose();
        assert.ok(state.every((a) => !live.has(a)), 'the moments are freed');
        assert.ok(before - live.size >= 4, `its step buffers and moments are freed (${before} -> ${live.size} live arrays)`);
        level.push(live.size);
      }
      // What stays belongs to the model (weights, gradients, activations), the same after every trainer.
      assert.equal(level[2], level[1], `live device arrays after each trainer: ${level.join(', ')}`);
    } finally {
      delete (be as { alloc?: unknown }).alloc;
      delete (be as { free?: unknown }).free;
      delete (be as { array?: unknown }).array;
    }
  });
});
