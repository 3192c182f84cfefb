import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fastTanh } from '../../src/math/tanh.js';

test('fastTanh is within 3e-7 of Math.tanh, odd, and saturates', () => {
  let worst = 0;
  for (let x = -20; x <= 20; x += 1 / 4096) worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)));
  assert.ok(worst < 3e-7, `max error ${worst}`);
  for (const x of [1e-30, 1e-4, 0.3, 2, 9, 1e6]) assert.equal(fastTanh(-x), -fastTanh(x));
  assert.ok(Object.is(fastTanh(-0), -0));
  assert.ok(Math.abs(fastTanh(Infinity) - 1) < 3e-7 && Math.abs(fastTanh(-Infinity) + 1) < 3e-7);
  assert.ok(Number.isNaN(fastTanh(NaN)));
});
