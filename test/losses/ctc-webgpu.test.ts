/**
 * The CTC loss on the device (webgpu through SwiftShader here) against the CPU's ctcLoss on
 * random batches and against the PyTorch fixtures (test/fixtures; ../shared/fixtures too
 * with SAYRE_WEBGPU_FULL=1, to keep `npm test` short). The peaky fixture underflows the
 * float32 rescaled recursion, so it checks the log-space redo on the device.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ctcLoss, type CtcReduction } from '../../src/losses/ctc.js';
import { ctcLossOnDevice, reduceCtcLosses } from '../../src/losses/ctc-device.js';
import type { WebGpuBackend } from '../../src/backend/index.js';
import { fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose } from '../helpers/compare.js';
import { fixtureSets, loadFixture, repoFixtures } from '../helpers/fixtures.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';
import { randomCtcCase } from './ctc-cases.js';

const { backend: gpu, skip } = await webgpuBackendForTests();


/** The device loss of one batch: per-sequence losses, reduced loss and gradient, read back. */
async function deviceCtc(
  be: WebGpuBackend, logits: Float32Array, shape: [number, number, number], targets: number[][], lengths: number[],
  opts: { blank: number; reduction: CtcReduction; zeroInfinity: boolean },
): Promise<{ losses: Float32Array; loss: number; grad: Float32Array }> {
  const [T, B, C] = shape;
  const grad = be.alloc(T * B * C), losses = be.alloc(B);
  const reads = be.readBacks;
  const labels = ctcLossOnDevice(be.training, onBackend(be, logits), shape, targets, lengths, grad, losses, opts);
  const l = await fromBackend(be, losses);
  const g = await fromBackend(be, grad);
  assert.equal(be.readBacks - reads, 2, 'two reads: the losses and the gradient');
  return { losses: l, loss: reduceCtcLosses(l, labels, opts.reduction), grad: g };
}

describe('CTC loss on webgpu (SwiftShader)', { skip }, () => {
  for (const [seed, T, B, C, maxL] of [[1, 12, 3, 5, 4], [2, 40, 4, 29, 12], [3, 30, 2, 3, 10], [4, 7, 5, 6, 6]] as const) {
    it(`matches the CPU loss and gradient (T ${T}, B ${B}, C ${C}, up to ${maxL} labels: repeats, padding, impossible targets)`, async () => {
      const c = randomCtcCase(seed, T, B, C, maxL);
      for (const zeroInfinity of [false, true]) {
        const opts = { blank: c.blank, reduction: 'mean' as const, zeroInfinity };
        const want = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, opts);
        const got = await deviceCtc(gpu!, c.logits, c.shape, c.targets, c.inputLengths, opts);
        for (let b = 0; b < B; b++) {
          const w = want.losses[b]!;
          if (Number.isFinite(w)) assert.ok(Math.abs(got.losses[b]! - w) <= 1e-4 * (1 + Math.abs(w)), `loss ${b}: ${got.losses[b]} vs ${w}`);
          else assert.equal(got.losses[b], w, `loss ${b}`);
        }
        assertClose(got.grad, want.grad!, 1e-5, `gradient, zeroInfinity ${zeroInfinity}`);
      }
    });
  }

  const sets = process.env.SAYRE_WEBGPU_FULL === '1' ? fixtureSets : [repoFixtures];
  for (const set of sets) {
    for (const file of readdirSync(join(set.dir, 'ctc')).filter((f) => f.endsWith('.json')).sort()) {
      it(`${set.label} ${file}: losses and gradients as PyTorch's`, async () => {
        const f = loadFixture<{
          T: number; B: number; C: number; blank: number; logits: number[]; targets: number[][]; input_lengths: number[];
          plain: { loss_none: number[]; grad_mean?: number[] }; zero_infinity: { loss_none: number[]; grad_mean?: number[] };
        }>(`ctc/${file}`, set);
        for (const variant of ['plain', 'zero_infinity'] as const) {
          const want = f[variant];
          const got = await deviceCtc(gpu!, new Float32Array(f.logits), [f.T, f.B, f.C], f.targets, f.input_lengths,
            { blank: f.blank, reduction: 'mean', zeroInfinity: variant === 'zero_infinity' });
          want.loss_none.forEach((w, b) => {
            if (Number.isFinite(w)) assert.ok(Math.abs(got.losses[b]! - w) <= 1e-4 * (1 + Math.abs(w)), `${variant} loss ${b}: ${got.losses[b]} vs ${w}`);
            else assert.equal(got.losses[b], w, `${variant} loss ${b}`);
          });
          if (want.grad_mean) assertClose(got.grad, want.grad_mean, 1e-5, `${variant} gradient`);
        }
      });
    }
  }
});
