import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rnntLoss } from '../../src/losses/rnnt.js';
import { assertClose, assertRelClose, maxAbsDiff } from '../helpers/compare.js';
import { fixtureSets } from '../helpers/fixtures.js';
import { loadRnntFixture, rnntFixtureNames } from './rnnt-fixture.js';
import { bruteForceRnnt } from './rnnt-slow-reference.js';

// torchaudio computes in float32 only. Its losses carry float32 rounding (about 1e-7
// relative per operation along T + U steps; up to 1.2e-7 measured here), so losses are
// compared at 1e-6 relative. Its gradients differ from an exact float64 computation by up
// to about 6e-5 on the larger cases (fixtures README; 4.1e-5 measured on 'peaky'), so
// gradients are compared at 1e-4 absolute (the bound), and the tiny case is
// checked against the exact float64 brute force as well.
const LOSS_REL = 1e-6;
const GRAD_ABS = 1e-4;

describe('rnntLoss against torchaudio fixtures', () => {
  for (const set of fixtureSets) for (const name of rnntFixtureNames) {
    it(`${set.label} ${name}`, () => {
      const f = loadRnntFixture(name, set);
      const logits = Float32Array.from(f.logits);
      const none = rnntLoss(logits, f.logits_shape, f.targets, f.logit_lengths, { blank: f.blank, reduction: 'none', grad: false });
      assertRelClose(none.losses, f.loss_none, LOSS_REL, `${name} losses`);
      assert.equal(none.grad, undefined);
      const sum = rnntLoss(logits, f.logits_shape, f.targets, f.logit_lengths, { blank: f.blank, reduction: 'sum' });
      assertRelClose([sum.loss], [f.loss_sum], LOSS_REL, `${name} sum`);
      assertClose(sum.grad!, f.grad_sum, GRAD_ABS, `${name} grad sum`);
      const mean = rnntLoss(logits, f.logits_shape, f.targets, f.logit_lengths, { blank: f.blank });
      assertRelClose([mean.loss], [f.loss_mean], LOSS_REL, `${name} mean`);
      assertClose(mean.grad!, f.grad_mean, GRAD_ABS, `${name} grad mean`);
      // the gradient does not depend on whether it was asked for with the losses
      assert.deepEqual(Array.from(sum.losses), Array.from(none.losses));
    });
  }

  for (const set of fixtureSets) it(`${set.label} tiny agrees with the exact brute force to float32 rounding`, () => {
    const f = loadRnntFixture('tiny', set);
    const [, T, U1, V] = f.logits_shape;
    const logits = Float32Array.from(f.logits);
    const r = rnntLoss(logits, f.logits_shape, f.targets, f.logit_lengths, { blank: f.blank, reduction: 'sum' });
    const ref = bruteForceRnnt(logits, 0, T, U1, V, f.logit_lengths[0]!, f.targets[0]!, f.blank);
    assert.ok(Math.abs(r.losses[0]! - ref.loss) < 1e-12);
    assert.ok(maxAbsDiff(r.grad!, ref.grad) < 1e-7, `diff ${maxAbsDiff(r.grad!, ref.grad)}`);
  });
});
