/**
 * The RNN-T loss on the device (webgpu through SwiftShader here: rnnt-wgsl.ts, a workgroup
 * per sequence walking its lattice by anti-diagonals in float32 log space) against the
 * CPU's rnntLoss (float64) on random batches, and against the torchaudio fixtures
 * (test/fixtures; ../shared/fixtures too with SAYRE_WEBGPU_FULL=1, to keep `npm test` short).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebGpuBackend } from '../../src/backend/index.js';
import { rnntLoss } from '../../src/losses/rnnt.js';
import { type RnntDeviceReduction, reduceRnntLosses, rnntLossOnDevice } from '../../src/losses/rnnt-device.js';
import { fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose, assertRelClose, randomArray, rng } from '../helpers/compare.js';
import { fixtureSets, repoFixtures } from '../helpers/fixtures.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';
import { loadRnntFixture, rnntFixtureNames } from './rnnt-fixture.js';

const { backend: gpu, skip } = await webgpuBackendForTests();

/** The device loss of one batch: per-sequence losses, reduced loss and gradient, read back. */
async function deviceRnnt(
  be: WebGpuBackend, logits: Float32Array, shape: [number, number, number, number], targets: number[][], frames: number[],
  blank: number, reduction: RnntDeviceReduction,
): Promise<{ losses: Float32Array; loss: number; grad: Float32Array }> {
  const grad = onBackend(be, new Float32Array(logits.length).fill(7)), losses = be.alloc(shape[0]); // every element is written: start from garbage
  const reads = be.readBacks;
  rnntLossOnDevice(be.transducer, onBackend(be, logits), shape, targets, frames, grad, losses, { blank, reduction });
  const l = await fromBackend(be, losses);
  const g = await fromBackend(be, grad);
  assert.equal(be.readBacks - reads, 2, 'two reads: the losses and the gradient');
  return { losses: l, loss: reduceRnntLosses(l, shape[0], reduction), grad: g };
}

/** A random batch: frames in [1, T], targets of 0 .. U1 - 1 labels other than blank, logits in [-scale, scale). */
function randomCase(seed: number, B: number, T: number, U1: number, V: number, scale = 2): {
  logits: Float32Array; shape: [number, number, number, number]; targets: number[][]; frames: number[]; blank: number;
} {
  const next = rng(seed);
  const blank = Math.floor(next() * V);
  const others = Array.from({ length: V }, (_, k) => k).filter((k) => k !== blank);
  const targets = Array.from({ length: B }, (_, b) => Array.from({ length: b === 0 ? U1 - 1 : Math.floor(next() * U1) }, () => others[Math.floor(next() * others.length)]!));
  const frames = Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + Math.floor(next() * T)));
  return { logits: randomArray(B * T * U1 * V, next, scale), shape: [B, T, U1, V], targets, frames, blank };
}

describe('RNN-T loss on webgpu (SwiftShader)', { skip }, () => {
  for (const [seed, B, T, U1, V, scale] of [[1, 3, 6, 4, 5, 2], [2, 4, 20, 9, 12, 3], [3, 2, 9, 300, 4, 1], [4, 5, 1, 3, 3, 2], [5, 2, 40, 12, 7, 8], [6, 2, 300, 60, 30, 2]] as const) {
    it(`matches the CPU loss and gradient (B ${B}, T ${T}, U1 ${U1}, V ${V}, logits within +-${scale}; padding, empty targets, one frame, more label positions than threads, losses above 1000 nats)`, async () => {
      const c = randomCase(seed, B, T, U1, V, scale);
      for (const reduction of ['mean', 'sum'] as const) {
        const want = rnntLoss(c.logits, c.shape, c.targets, c.frames, { blank: c.blank, reduction });
        const got = await deviceRnnt(gpu!, c.logits, c.shape, c.targets, c.frames, c.blank, reduction);
        // float32 losses (a few ulps); gradients to 1e-6: alpha and beta are double-floats on
        // the device, without which the 1127-nat case was off by 6e-4
        assertRelClose(got.losses, want.losses, 2e-7, `losses (${reduction})`);
        assert.ok(Math.abs(got.loss - want.loss) <= 2e-7 * Math.abs(want.loss), `loss (${reduction}) ${got.loss} vs ${want.loss}`);
        assertClose(got.grad, want.grad!, 1e-6, `gradient (${reduction})`);
      }
    });
  }

  const sets = process.env.SAYRE_WEBGPU_FULL === '1' ? fixtureSets : [repoFixtures];
  for (const set of sets) for (const name of rnntFixtureNames) {
    it(`${set.label} ${name}: losses and gradients as torchaudio's`, async () => {
      const f = loadRnntFixture(name, set);
      const logits = Float32Array.from(f.logits);
      const sum = await deviceRnnt(gpu!, logits, f.logits_shape, f.targets, f.logit_lengths, f.blank, 'sum');
      // rnnt-fixtures.test.ts's bounds: 1e-6 relative on losses, 1e-4 on gradients (torchaudio is float32)
      assertRelClose(sum.losses, f.loss_none, 1e-6, `${name} losses`);
      assertRelClose([sum.loss], [f.loss_sum], 1e-6, `${name} sum`);
      assertClose(sum.grad, f.grad_sum, 1e-4, `${name} grad sum`);
      const mean = await deviceRnnt(gpu!, logits, f.logits_shape, f.targets, f.logit_lengths, f.blank, 'mean');
      assertRelClose([mean.loss], [f.loss_mean], 1e-6, `${name} mean`);
      assertClose(mean.grad, f.grad_mean, 1e-4, `${name} grad mean`);
    });
  }
});
