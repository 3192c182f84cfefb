/** ctcLoss against PyTorch 1.13 (float64) on every CTC fixture: test/fixtures/ctc, and ../shared/fixtures/ctc where present. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ctcLoss, type CtcReduction } from '../../src/losses/ctc.js';
import { latticeStats } from '../../src/losses/ctc-lattice.js';
import { assertClose } from '../helpers/compare.js';
import { fixtureSets, loadFixture } from '../helpers/fixtures.js';
import { runCtcTask } from './ctc-internal.js';

interface Expected {
  loss_none: number[];
  loss_sum: number;
  loss_mean: number;
  grad_sum?: number[];
  grad_mean?: number[];
}

interface CtcFixture {
  name: string;
  T: number;
  B: number;
  C: number;
  blank: number;
  logits: number[];
  targets: number[][];
  input_lengths: number[];
  plain: Expected;
  zero_infinity: Expected;
}

/** Within 1e-5 relative, or both the same infinity. */
function assertLoss(actual: number, expected: number, what: string): void {
  if (!Number.isFinite(expected)) {
    assert.equal(actual, expected, what);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-5 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

for (const set of fixtureSets) {
  const names = readdirSync(join(set.dir, 'ctc')).filter((f) => f.endsWith('.json')).sort();

  test(`${set.label}: the fixture set is there`, () => {
    assert.ok(names.length >= 9, `found ${names.length} CTC fixtures in ${set.dir}/ctc`);
  });

  for (const file of names) {
    const f = loadFixture<CtcFixture>(`ctc/${file}`, set);
    const logits = new Float32Array(f.logits);
    const name = `${set.label} ${f.name}`;
    for (const variant of ['plain', 'zero_infinity'] as const) {
      const expected = f[variant];
      for (const threads of [1, 2]) {
        test(`${name}: ${variant}, ${threads} thread(s)`, () => {
          const fallbacks = latticeStats.logSpaceFallbacks;
          for (const reduction of ['none', 'sum', 'mean'] as CtcReduction[]) {
            const r = ctcLoss(logits, [f.T, f.B, f.C], f.targets, f.input_lengths, {
              blank: f.blank, reduction, zeroInfinity: variant === 'zero_infinity', threads,
            });
            for (let b = 0; b < f.B; b++) assertLoss(r.losses[b]!, expected.loss_none[b]!, `${reduction} losses[${b}]`);
            if (reduction === 'none') continue;
            assertLoss(r.loss, reduction === 'sum' ? expected.loss_sum : expected.loss_mean, `${reduction} loss`);
            const g = reduction === 'sum' ? expected.grad_sum : expected.grad_mean;
            assert.ok(r.grad, 'grad returned');
            for (const v of r.grad) assert.ok(Number.isFinite(v), 'finite gradient');
            if (g) assertClose(r.grad, g, 1e-5, `${reduction} grad`);
          }
          // On this thread, the rescaled path sufficed (the log-space one would hide its bugs).
          if (threads === 1) assert.equal(latticeStats.logSpaceFallbacks, fallbacks, 'no log-space fallback');
        });
      }
    }
    test(`${name}: log-space path and TypeScript kernels agree with the fixture`, () => {
      const c = { logits, shape: [f.T, f.B, f.C] as [number, number, number], targets: f.targets, inputLengths: f.input_lengths, blank: f.blank };
      for (const hooks of [{ logSpaceOnly: true }, { jsKernels: true }, { jsKernels: true, logSpaceOnly: true }]) {
        const r = runCtcTask(c, hooks);
        for (let b = 0; b < f.B; b++) assertLoss(r.losses[b]!, f.plain.loss_none[b]!, `${JSON.stringify(hooks)} losses[${b}]`);
        if (f.plain.grad_sum) assertClose(r.grad, f.plain.grad_sum, 1e-5, `${JSON.stringify(hooks)} grad`);
      }
    });
  }
}
