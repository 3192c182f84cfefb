import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logisticLoss, sigmoid } from '../../src/losses/logistic.js';

describe('logistic loss', () => {
  it('is -log p of the target class, its gradient sigmoid(z) - t over n, and finite for any logit', () => {
    const z = Float32Array.from([-3, -0.5, 0, 2, 9, -9]);
    const t = [1, 0, 1, 1, 0, 0];
    const grad = new Float32Array(z.length);
    const loss = logisticLoss(z, t, grad);
    const ref = [...z].reduce((s, v, i) => s - Math.log(t[i] ? sigmoid(v) : 1 - sigmoid(v)), 0) / z.length;
    assert.ok(Math.abs(loss - ref) < 1e-6, `${loss} vs ${ref}`);
    [...z].forEach((v, i) => assert.ok(Math.abs(grad[i]! - (sigmoid(v) - t[i]!) / z.length) < 1e-7));
    // a confident wrong answer costs |z|, not Infinity
    assert.ok(Math.abs(logisticLoss(Float32Array.from([1000]), [0], null) - 1000) < 1e-9);
    assert.throws(() => logisticLoss(Float32Array.from([NaN]), [1], null), /logit 0 is NaN/);
  });

  it('matches central finite differences', () => {
    const z = Float32Array.from([0.3, -1.7, 2.2]);
    const t = [0, 1, 0.25];
    const grad = new Float32Array(3);
    logisticLoss(z, t, grad);
    for (let i = 0; i < 3; i++) {
      const f = (d: number): number => logisticLoss(Float32Array.from(z, (v, j) => (j === i ? v + d : v)), t, null);
      const numeric = (f(1e-3) - f(-1e-3)) / 2e-3;
      assert.ok(Math.abs(numeric - grad[i]!) < 1e-4, `logit ${i}: ${numeric} vs ${grad[i]}`);
    }
  });
});
