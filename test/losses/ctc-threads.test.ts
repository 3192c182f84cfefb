/** Results do not depend on the thread count, and several threads really are used. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctcLoss } from '../../src/losses/ctc.js';
import { poolStats } from '../../src/parallel/pool.js';
import { randomCtcCase } from './ctc-cases.js';

test('1, 2 and 3 threads give bit-identical losses and gradients, through the worker pool', () => {
  const c = randomCtcCase(21, 120, 9, 40, 30, { minLength: 30, blank: 3 });
  const one = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 1 });
  for (const threads of [2, 3]) {
    const before = poolStats().parallelRuns;
    const many = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads });
    assert.ok(poolStats().parallelRuns > before, `${threads} threads went through the pool`);
    assert.ok(poolStats().workers >= threads - 1, 'workers started');
    // Results are the caller's own: unshared, and untouched by the next call.
    assert.ok(!(many.grad!.buffer instanceof SharedArrayBuffer) && !(many.losses.buffer instanceof SharedArrayBuffer));
    const kept = Float32Array.from(many.grad!);
    ctcLoss(c.logits.map((v) => -v), c.shape, c.targets, c.inputLengths, { blank: c.blank, threads });
    assert.deepEqual(many.grad, kept);
    assert.deepEqual(many.losses, one.losses);
    assert.equal(many.loss, one.loss);
    assert.ok(Buffer.compare(Buffer.from(many.grad!.buffer, many.grad!.byteOffset, many.grad!.byteLength),
      Buffer.from(one.grad!.buffer, one.grad!.byteOffset, one.grad!.byteLength)) === 0, 'identical gradients');
  }
});

test('a small batch runs inline (no hand-off), with the same results', () => {
  const c = randomCtcCase(22, 10, 2, 5, 3);
  const before = poolStats().parallelRuns;
  const r = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 2 });
  assert.equal(poolStats().parallelRuns, before);
  assert.deepEqual(r.losses, ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 1 }).losses);
});


test('gradOut: the gradient lands in the buffer given, plain or shared, on any thread count', () => {
  const c = randomCtcCase(23, 60, 6, 40, 20, { minLength: 20, blank: 1 });
  const size = c.logits.length;
  const ref = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 1 });
  for (const threads of [1, 2]) {
    for (const shared of [false, true]) {
      const out = shared ? new Float32Array(new SharedArrayBuffer(size * 4)) : new Float32Array(size);
      out.fill(NaN); // every element must be written
      const logits = shared ? Float32Array.from(c.logits) : c.logits;
      const r = ctcLoss(logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads, gradOut: out });
      assert.equal(r.grad, out, `threads ${threads}, shared ${shared}`);
      assert.deepEqual(out, ref.grad);
      assert.deepEqual(r.losses, ref.losses);
    }
  }
  assert.throws(() => ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, gradOut: new Float32Array(size - 1) }),
    /gradOut must be a Float32Array of T \* B \* C = \d+ values/);
});

test('uneven batches split between the calling thread and the workers give the same results', () => {
  // A first sequence heavier than all the rest (the calling thread keeps none), then two
  // sequences only, then many short ones after a long one.
  const cases = [
    { ...randomCtcCase(31, 200, 5, 300, 10, { minLength: 5, blank: 0 }), inputLengths: [200, 6, 5, 7, 9] },
    randomCtcCase(32, 150, 2, 200, 30, { minLength: 100, blank: 4 }),
    { ...randomCtcCase(33, 100, 12, 400, 8, { minLength: 10, blank: 2 }), inputLengths: [100, ...Array.from({ length: 11 }, (_, i) => 10 + i)] },
  ];
  for (const c of cases) {
    const one = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 1 });
    for (const threads of [2, 4]) {
      const before = poolStats().parallelRuns;
      const many = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads });
      assert.ok(poolStats().parallelRuns > before, 'through the pool');
      assert.deepEqual(many.losses, one.losses);
      assert.deepEqual(many.grad, one.grad);
    }
  }
});
