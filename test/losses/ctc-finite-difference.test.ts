/** The gradient of ctcLoss against central finite differences of its loss. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctcLoss, type CtcReduction } from '../../src/losses/ctc.js';
import { randomCtcCase } from './ctc-cases.js';

test('d loss / d logits matches central differences (sum and mean, padded batch, blank != 0)', () => {
  const c = randomCtcCase(7, 12, 3, 5, 4, { blank: 2, minLength: 6 });
  for (const reduction of ['sum', 'mean'] as CtcReduction[]) {
    const loss = (x: Float32Array): number => ctcLoss(x, c.shape, c.targets, c.inputLengths, { blank: c.blank, reduction, threads: 1 }).loss;
    const { grad } = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, reduction, threads: 1 });
    const x = Float32Array.from(c.logits);
    let worst = 0;
    for (let i = 0; i < x.length; i += 7) {
      const x0 = x[i]!;
      x[i] = x0 + 1e-2;
      const hi = x[i]!;
      const up = loss(x);
      x[i] = x0 - 1e-2;
      const lo = x[i]!;
      const down = loss(x);
      x[i] = x0;
      const fd = (up - down) / (hi - lo); // the float32 steps actually taken
      worst = Math.max(worst, Math.abs(fd - grad![i]!));
    }
    assert.ok(worst < 1e-4, `${reduction}: worst |finite difference - gradient| = ${worst}`);
  }
});
