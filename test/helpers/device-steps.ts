import assert from 'node:assert/strict';
import type { Backend } from '../../src/backend/index.js';
import type { TrainableModel } from '../../src/model/trainable.js';
import type { Batch, Trainer } from '../../src/train/trainer.js';

/**
 * Steps `ref` (a CPU backend, trainStep) and `dev` (on `gpu`, trainStepAsync) through the
 * same batches, asserting that each device step reads back `reads` times, is not skipped,
 * and gives the reference's loss and gradient norm within `tol(reference value)`.
 */
export async function assertDeviceSteps<M extends TrainableModel>(
  gpu: Backend, ref: Trainer<M>, dev: Trainer<M>, batches: readonly Batch[], reads: number, tol: (want: number) => number, label = '',
): Promise<void> {
  for (const [step, b] of batches.entries()) {
    const want = ref.trainStep(b);
    const before = gpu.readBacks;
    const got = await dev.trainStepAsync(b);
    const what = `${label}step ${step}`;
    assert.equal(gpu.readBacks - before, reads, `${what}: ${reads} read-back(s)`);
    assert.ok(Math.abs(got.loss - want.loss) <= tol(want.loss), `${what} loss ${got.loss} vs ${want.loss}`);
    assert.ok(Math.abs(got.gradNorm - want.gradNorm) <= tol(want.gradNorm), `${what} norm ${got.gradNorm} vs ${want.gradNorm}`);
    assert.equal(got.skipped, false);
  }
}
