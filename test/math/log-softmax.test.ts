import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { logAddExp, logSoftmaxRow } from '../../src/math/log-softmax.js';

describe('logSoftmaxRow', () => {
  it('normalises a row and survives huge logits', () => {
    const src = Float32Array.from([1000, 1001, 999, -5]);
    const dst = new Float64Array(6);
    const lse = logSoftmaxRow(src, 0, 4, dst, 2);
    let total = 0;
    for (let j = 0; j < 4; j++) total += Math.exp(dst[2 + j]!);
    assert.ok(Math.abs(total - 1) < 1e-12);
    assert.ok(Math.abs(lse - (1001 + Math.log(Math.exp(-1) + 1 + Math.exp(-2) + Math.exp(-1006)))) < 1e-9);
    assert.equal(dst[0], 0);
  });
});

describe('logAddExp', () => {
  it('adds probabilities in log space', () => {
    assert.ok(Math.abs(logAddExp(Math.log(0.25), Math.log(0.5)) - Math.log(0.75)) < 1e-15);
    assert.equal(logAddExp(-Infinity, -3), -3);
    assert.equal(logAddExp(-Infinity, -Infinity), -Infinity);
    assert.ok(Math.abs(logAddExp(-1e4, -1e4) - (-1e4 + Math.log(2))) < 1e-9);
  });
});
