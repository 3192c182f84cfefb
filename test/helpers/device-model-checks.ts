/**
 * The checks every model kind's webgpu test makes against the js backend: inference
 * logits with one read-back, and three training steps on the device with one read-back
 * each (loss, gradient norm, the weights after them).
 */
import assert from 'node:assert/strict';
import { type Backend, JsBackend } from '../../src/backend/index.js';
import type { TrainableModel } from '../../src/model/trainable.js';
import { type Batch, Trainer } from '../../src/train/trainer.js';
import { fromBackend } from './backends.js';
import { assertClose } from './compare.js';
import { assertDeviceSteps } from './device-steps.js';

/** Builds the same model (same weights) on any backend. */
export type ModelOn = (backend: Backend, seed: number) => TrainableModel;

/** The model's logits on `gpu` equal js's within 1e-5, and come back with exactly one read-back. */
export async function checkInference(gpu: Backend, make: ModelOn, b: Batch): Promise<void> {
  const want = make(new JsBackend(), 3).infer(b.x, b.shape, b.lengths);
  const model = make(gpu, 3);
  const reads = gpu.readBacks;
  const got = model.infer(b.x, b.shape, b.lengths);
  assertClose(await fromBackend(gpu, got.logits), want.logits, 1e-5, 'logits');
  assert.equal(gpu.readBacks - reads, 1);
  assert.deepEqual(got.shape, want.shape);
  assert.deepEqual([...got.lengths], [...want.lengths]);
}

/**
 * Three SGD-with-momentum steps on `gpu` (trainStepAsync) follow js's trainStep: loss and
 * gradient norm within 1e-4 relative, one read-back per step, the weights after them within 1e-4.
 */
export async function checkTrainingSteps(gpu: Backend, make: ModelOn, batch: (seed: number) => Batch): Promise<void> {
  const opts = { learningRate: 0.05, optimizer: { kind: 'sgd' as const, momentum: 0.9 } };
  const ref = new Trainer(make(new JsBackend(), 4), opts);
  const model = make(gpu, 4);
  await assertDeviceSteps(gpu, ref, new Trainer(model, opts), [10, 11, 12].map(batch), 1, (want) => 1e-4 * (1 + Math.abs(want)));
  assertClose(await fromBackend(gpu, model.params.data), ref.model.params.data, 1e-4, 'weights');
}
