/**
 * The Trainer's device step on webgpu (SwiftShader here) against the js backend: Adam,
 * gradient clipping, SGD with Nesterov and weight decay, weight noise, and checkpoints
 * saved from and resumed onto the device. One read-back per step throughout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { Trainer, type TrainerOptions } from '../../src/train/trainer.js';
import { fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose } from '../helpers/compare.js';
import { TINY_CTC_CONFIG, tinyCtcBatch } from '../helpers/tiny-ctc-batch.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const js = new JsBackend();
const config = TINY_CTC_CONFIG;
const batch = tinyCtcBatch;

/** Steps `dev` (webgpu) and `ref` (js) side by side, checking each step's loss and norm and its one read-back. */
async function stepBoth(ref: Trainer, dev: Trainer, seeds: number[]): Promise<number[]> {
  const norms: number[] = [];
  for (const seed of seeds) {
    const b = batch(seed);
    const want = ref.trainStep(b);
    const reads = gpu!.readBacks;
    const got = await dev.trainStepAsync(b);
    assert.equal(gpu!.readBacks - reads, 1, `batch ${seed}: one read-back`);
    assert.ok(Math.abs(got.loss - want.loss) <= 1e-4 * (1 + Math.abs(want.loss)), `batch ${seed} loss ${got.loss} vs ${want.loss}`);
    assert.ok(Math.abs(got.gradNorm - want.gradNorm) <= 1e-4 * (1 + want.gradNorm), `batch ${seed} norm ${got.gradNorm} vs ${want.gradNorm}`);
    assert.equal(got.skipped, want.skipped);
    norms.push(want.gradNorm);
  }
  return norms;
}

function pair(options: TrainerOptions, seed = 4): { ref: Trainer; dev: Trainer } {
  return {
    ref: new Trainer(new CtcModel(config, { backend: js, seed }), options),
    dev: new Trainer(new CtcModel(config, { backend: gpu!, seed }), options),
  };
}

describe('Trainer on webgpu (SwiftShader)', { skip }, () => {
  it('Adam with gradient clipping steps as on the js backend', async () => {
    const { ref, dev } = pair({ learningRate: 0.01, optimizer: { kind: 'adam' }, clipNorm: 0.2 });
    const norms = await stepBoth(ref, dev, [10, 11, 12, 13]);
    assert.ok(norms.some((n) => n > 0.2), `the clip engages (norms ${norms.join(', ')})`);
    assertClose(await fromBackend(gpu!, dev.model.params.data), ref.model.params.data, 1e-4, 'weights');
  });

  it('SGD with Nesterov momentum and weight decay steps as on the js backend', async () => {
    const { ref, dev } = pair({ learningRate: 0.05, optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.01 } });
    await stepBoth(ref, dev, [20, 21, 22]);
    assertClose(await fromBackend(gpu!, dev.model.params.data), ref.model.params.data, 1e-4, 'weights');
  });

  it('weight noise: the gradient is taken at noisy weights, the clean ones come back, and the same seed repeats', async () => {
    const clean = new Trainer(new CtcModel(config, { backend: gpu!, seed: 4 }), { learningRate: 0 });
    const w0 = await fromBackend(gpu!, clean.model.params.data);
    const plain = await clean.trainStepAsync(batch(30));
    const noisy = () => new Trainer(new CtcModel(config, { backend: gpu!, seed: 4 }), { learningRate: 0, weightNoise: 0.3, seed: 7 });
    const a = noisy(), b = noisy();
    const reads = gpu!.readBacks;
    const ra = await a.trainStepAsync(batch(30));
    assert.equal(gpu!.readBacks - reads, 1, 'one read-back with noise on');
    const rb = await b.trainStepAsync(batch(30));
    assert.notEqual(ra.loss, plain.loss, 'the loss is taken at the noisy weights');
    assert.equal(ra.loss, rb.loss, 'the same trainer seed gives the same noise');
    assert.deepEqual(await fromBackend(gpu!, a.model.params.data), w0, 'lr 0: the clean weights come back exactly');
    assert.notEqual((await a.trainStepAsync(batch(30))).loss, ra.loss, 'the next step draws fresh noise');
  });

  it('draws standard normal weight noise from its seeds', async () => {
    const n = 200_000, sigma = 0.5;
    const draw = async (seeds: [number, number]): Promise<Float32Array> => {
      const x = onBackend(gpu!, new Float32Array(n));
      gpu!.training.addNoise(x, sigma, seeds);
      return fromBackend(gpu!, x);
    };
    const x = await draw([1, 2]);
    let s = 0, s2 = 0, s4 = 0;
    for (const v of x) { s += v; s2 += v * v; s4 += v ** 4; }
    const mean = s / n, variance = s2 / n - mean * mean;
    assert.ok(Math.abs(mean) < 5 * sigma / Math.sqrt(n), `mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(variance) / sigma - 1) < 0.01, `std ${Math.sqrt(variance)}`);
    assert.ok(Math.abs(s4 / n / sigma ** 4 - 3) < 0.1, `kurtosis ${s4 / n / sigma ** 4} (3 for a normal)`);
    assert.deepEqual(await draw([1, 2]), x, 'same seeds, same noise');
    assert.notDeepEqual(await draw([1, 3]), x, 'another seed, other noise');
  });

  it('saves from the device and resumes onto it exactly; a js checkpoint resumes onto the device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-trainer-webgpu-'));
    const options: TrainerOptions = { learningRate: 0.01, optimizer: { kind: 'adam' }, clipNorm: 1, weightNoise: 0.01, seed: 3 };
    const straight = new Trainer(new CtcModel(config, { backend: gpu!, seed: 5 }), options);
    for (const s of [40, 41, 42]) await straight.trainStepAsync(batch(s));
    const first = new Trainer(new CtcModel(config, { backend: gpu!, seed: 5 }), options);
    for (const s of [40, 41]) await first.trainStepAsync(batch(s));
    assert.throws(() => first.save(join(dir, 'x.safetensors')), /use saveAsync/);
    await first.saveAsync(join(dir, 'gpu.safetensors'));
    const resumed = Trainer.resume(join(dir, 'gpu.safetensors'), undefined, { backend: gpu! }).trainer;
    await resumed.trainStepAsync(batch(42));
    assert.deepEqual(await fromBackend(gpu!, resumed.model.params.data), await fromBackend(gpu!, straight.model.params.data));

    // The optimiser's moments go up from the checkpoint: js and webgpu go on alike.
    const noNoise: TrainerOptions = { ...options, weightNoise: 0 };
    const ref = new Trainer(new CtcModel(config, { backend: js, seed: 5 }), noNoise);
    for (const s of [50, 51]) ref.trainStep(batch(s));
    ref.save(join(dir, 'js.safetensors'));
    const onGpu = Trainer.resume(join(dir, 'js.safetensors'), undefined, { backend: gpu! }).trainer;
    await stepBoth(ref, onGpu, [52, 53]);
    assertClose(await fromBackend(gpu!, onGpu.model.params.data), ref.model.params.data, 1e-4, 'weights');
  });
});
