/** ctcLoss's errors name the sequence and the problem; impossible targets and padding behave. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctcLoss } from '../../src/losses/ctc.js';
import { randomCtcCase } from './ctc-cases.js';

const T = 5;
const B = 2;
const C = 4;
const logits = new Float32Array(T * B * C).fill(0.5);
const ok = { targets: [[1, 2], [3]], lengths: [5, 4] };

test('bad input raises an error naming the sequence and the problem', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => ctcLoss(logits, [T, B, C], [[1, 4], [3]], ok.lengths), /sequence 0: label 4 at position 1 is out of range \[0, 4\)/],
    [() => ctcLoss(logits, [T, B, C], [[1], [-1]], ok.lengths), /sequence 1: label -1 at position 0 is out of range/],
    [() => ctcLoss(logits, [T, B, C], [[1], [2, 0]], ok.lengths), /sequence 1: label at position 1 is the blank \(0\)/],
    [() => ctcLoss(logits, [T, B, C], [[1], [2, 3]], ok.lengths, { blank: 3 }), /sequence 1: label at position 1 is the blank \(3\)/],
    [() => ctcLoss(logits, [T, B, C], [[1], [2.5]], ok.lengths), /sequence 1: label 2.5 at position 0 is out of range/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, [6, 4]), /sequence 0: input length 6 is beyond T = 5/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, [5, -1]), /sequence 1: input length -1 is negative/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, [5, 1.5]), /sequence 1: input length 1.5 is not an integer/],
    [() => ctcLoss(logits, [T, B, C + 1], ok.targets, ok.lengths), /logits has 40 values, shape \[5, 2, 5\] needs 50/],
    [() => ctcLoss(logits, [T, B, C], [[1]], ok.lengths), /1 targets for a batch of 2/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, [5]), /1 input lengths for a batch of 2/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, ok.lengths, { blank: 4 }), /blank 4 is not a class in \[0, 4\)/],
    [() => ctcLoss(logits, [T, B, 0], [[], []], ok.lengths), /C \(classes\) must be at least 1/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, ok.lengths, { reduction: 'avg' as 'mean' }), /reduction must be/],
    [() => ctcLoss(logits, [T, B, C], ok.targets, ok.lengths, { threads: 0 }), /thread count must be a positive integer/],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
});

test('NaN and infinite logits are reported with sequence, frame and class, on one thread or several', () => {
  for (const [bad, where] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
    const c = randomCtcCase(3, 40, 4, 30, 5, { blank: 0, minLength: 40 });
    c.logits[(17 * 4 + 2) * 30 + 11] = bad;
    for (const threads of [1, 2]) {
      assert.throws(() => ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { threads }),
        new RegExp(`sequence 2: logit at frame 17, class 11 is ${where.replace('-', '\\-')}`), `${where}, ${threads} threads`);
    }
  }
});

test('with bad logits in several sequences, the first in batch order is reported on any thread count', () => {
  const c = randomCtcCase(4, 40, 6, 300, 5, { blank: 0, minLength: 40 });
  c.logits[(30 * 6 + 5) * 300 + 7] = NaN;
  c.logits[(20 * 6 + 4) * 300 + 9] = NaN;
  c.logits[(39 * 6 + 1) * 300 + 2] = Infinity;
  for (const threads of [1, 2, 3]) {
    assert.throws(() => ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { threads }),
      /sequence 1: logit at frame 39, class 2 is Infinity/, `${threads} threads`);
  }
});

test('logits on padded frames are not read: NaN there is fine', () => {
  const x = Float32Array.from(logits);
  x[(4 * B + 1) * C + 2] = NaN; // frame 4 of sequence 1, whose length is 4
  const r = ctcLoss(x, [T, B, C], ok.targets, ok.lengths);
  assert.ok(Number.isFinite(r.loss));
});

test('impossible targets: +Infinity and no gradient, or 0 under zeroInfinity; never NaN', () => {
  // Sequence 0 needs 1 a b b -> "a b - b": 4 frames > 3; sequence 1 is fine.
  const c = randomCtcCase(5, 3, 2, 4, 1, { blank: 0 });
  const targets = [[1, 2, 2], [3]];
  const lengths = [3, 3];
  for (const reduction of ['none', 'sum', 'mean'] as const) {
    const plain = ctcLoss(c.logits, c.shape, targets, lengths, { reduction });
    assert.equal(plain.losses[0], Infinity);
    assert.equal(plain.loss, Infinity);
    const z = ctcLoss(c.logits, c.shape, targets, lengths, { reduction, zeroInfinity: true });
    assert.equal(z.losses[0], 0);
    assert.ok(Number.isFinite(z.loss));
    assert.equal(z.losses[1], plain.losses[1]);
    for (const r of [plain, z]) {
      for (let t = 0; t < 3; t++) {
        for (let k = 0; k < 4; k++) {
          assert.equal(r.grad![(t * 2 + 0) * 4 + k], 0, 'no gradient for the impossible sequence');
          assert.ok(Number.isFinite(r.grad![(t * 2 + 1) * 4 + k]!), 'finite gradient for the other');
        }
      }
    }
  }
  // An empty target on an empty input is certain; a label on no frames is impossible.
  const empty = ctcLoss(c.logits, c.shape, [[], [1]], [0, 0], { reduction: 'none' });
  assert.deepEqual([...empty.losses], [0, Infinity]);
  // An empty batch: loss 0 under every reduction.
  for (const reduction of ['none', 'sum', 'mean'] as const) {
    const r = ctcLoss(new Float32Array(0), [7, 0, 4], [], [], { reduction });
    assert.equal(r.loss, 0);
    assert.equal(r.grad!.length, 0);
  }
});

test('frames at or beyond a sequence length get exactly zero gradient', () => {
  const c = randomCtcCase(11, 20, 4, 6, 4, { minLength: 5 });
  const r = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, threads: 1 });
  for (let b = 0; b < 4; b++) {
    for (let t = 0; t < 20; t++) {
      let any = false;
      for (let k = 0; k < 6; k++) any ||= r.grad![(t * 4 + b) * 6 + k] !== 0;
      assert.equal(any, t < c.inputLengths[b]!, `sequence ${b} (length ${c.inputLengths[b]}) frame ${t}`);
    }
  }
});

test('grad: false returns the same losses and no gradient', () => {
  const c = randomCtcCase(12, 30, 3, 8, 6);
  const a = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank });
  const b = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, grad: false });
  assert.equal(b.grad, undefined);
  assert.deepEqual(b.losses, a.losses);
  assert.equal(b.loss, a.loss);
});
