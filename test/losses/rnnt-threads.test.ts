import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PARALLEL_MIN_WORK, rnntLoss } from '../../src/losses/rnnt.js';
import { randomArray, rng } from '../helpers/compare.js';

describe('rnntLoss over threads', () => {
  // large enough to pass the parallel threshold, uneven lengths so threads take different sequences
  const B = 7, T = 80, U1 = 12, V = 64;
  const next = rng(21);
  const logits = randomArray(B * T * U1 * V, next, 3);
  const targets = Array.from({ length: B }, (_, b) => Array.from({ length: b === 0 ? U1 - 1 : Math.floor(next() * U1) }, () => 1 + Math.floor(next() * (V - 1))));
  const lengths = Array.from({ length: B }, (_, b) => (b === 0 ? T : 1 + Math.floor(next() * T)));

  it('gives bit-identical losses and gradients for any thread count', () => {
    let work = 0;
    for (let b = 0; b < B; b++) work += lengths[b]! * (targets[b]!.length + 1) * V;
    assert.ok(work >= PARALLEL_MIN_WORK, 'the batch must be large enough to be shared out');
    const one = rnntLoss(logits, [B, T, U1, V], targets, lengths, { threads: 1 });
    for (const threads of [2, 3, 8]) {
      const many = rnntLoss(logits, [B, T, U1, V], targets, lengths, { threads });
      assert.deepEqual(Array.from(many.losses), Array.from(one.losses), `${threads} threads`);
      assert.equal(many.loss, one.loss);
      assert.ok(many.grad!.every((g, i) => Object.is(g, one.grad![i])), `${threads} threads: gradient differs`);
    }
  });

  it('returns arrays of its own: the shared scratch reused by the next call leaves earlier results alone', () => {
    const first = rnntLoss(logits, [B, T, U1, V], targets, lengths, { threads: 2 });
    const keep = { losses: first.losses.slice(), grad: first.grad!.slice() };
    assert.ok(!(first.grad!.buffer instanceof SharedArrayBuffer) && !(first.losses.buffer instanceof SharedArrayBuffer));
    // other logits, and a shorter batch over the same scratch (its padded rows must still read zero)
    rnntLoss(logits.map((z) => -z), [B, T, U1, V], targets, lengths, { threads: 2 });
    assert.deepEqual(first.losses, keep.losses);
    assert.deepEqual(first.grad, keep.grad);
    const again = rnntLoss(logits, [B, T, U1, V], targets, lengths, { threads: 2 });
    assert.ok(again.grad!.every((g, i) => Object.is(g, keep.grad[i])));
  });

  it('reports bad logits from a worker like the calling thread does', () => {
    const x = logits.slice();
    x[((5 * T + 0) * U1 + 0) * V + 3] = NaN;
    assert.throws(() => rnntLoss(x, [B, T, U1, V], targets, lengths, { threads: 1 }), /^Error: rnntLoss: sequence 5: frame 0, label position 0: logit 3 is NaN$/);
    assert.throws(() => rnntLoss(x, [B, T, U1, V], targets, lengths, { threads: 3 }), /^Error: rnntLoss: sequence 5: frame 0, label position 0: logit 3 is NaN$/);
  });

  it('rejects a malformed thread count', () => {
    assert.throws(() => rnntLoss(logits, [B, T, U1, V], targets, lengths, { threads: 0 }), /thread count must be a positive integer/);
  });
});
