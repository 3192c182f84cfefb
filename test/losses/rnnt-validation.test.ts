import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rnntLoss } from '../../src/losses/rnnt.js';
import { randomArray, rng } from '../helpers/compare.js';

// batch of 2, T 3, U1 3, V 4
const shape: [number, number, number, number] = [2, 3, 3, 4];
const fresh = (): Float32Array => randomArray(2 * 3 * 3 * 4, rng(3), 1);
const ok = { targets: [[1, 2], [3]], lengths: [3, 2] };

describe('rnntLoss input validation', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['label out of range', () => rnntLoss(fresh(), shape, [[1, 2], [4]], ok.lengths), /sequence 1: label 4 at position 0 is outside \[0, 4\)/],
    ['negative label', () => rnntLoss(fresh(), shape, [[-1], [3]], ok.lengths), /sequence 0: label -1/],
    ['label equal to blank', () => rnntLoss(fresh(), shape, [[1, 2], [3]], ok.lengths, { blank: 3 }), /sequence 1: label at position 0 is the blank \(3\)/],
    ['length beyond T', () => rnntLoss(fresh(), shape, ok.targets, [3, 4]), /sequence 1: logit length 4 is not an integer in \[1, 3\]/],
    ['length below 1', () => rnntLoss(fresh(), shape, ok.targets, [0, 2]), /sequence 0: logit length 0/],
    ['fractional length', () => rnntLoss(fresh(), shape, ok.targets, [2.5, 2]), /sequence 0: logit length 2.5/],
    ['target longer than U1 - 1', () => rnntLoss(fresh(), shape, [[1, 2, 3], [3]], ok.lengths), /sequence 0: target length 3 exceeds U1 - 1 = 2/],
    ['logits size vs shape', () => rnntLoss(fresh().subarray(1), shape, ok.targets, ok.lengths), /logits hold 71 values but shape \[2, 3, 3, 4\] needs 72/],
    ['bad shape', () => rnntLoss(fresh(), [2, 3, 0, 4] as [number, number, number, number], ok.targets, ok.lengths), /shape must be/],
    ['batch vs targets', () => rnntLoss(fresh(), shape, [[1]], ok.lengths), /1 targets for a batch of 2/],
    ['batch vs lengths', () => rnntLoss(fresh(), shape, ok.targets, [3]), /1 logit lengths for a batch of 2/],
    ['blank out of range', () => rnntLoss(fresh(), shape, ok.targets, ok.lengths, { blank: 4 }), /blank 4 is not a label index/],
    ['unknown reduction', () => rnntLoss(fresh(), shape, ok.targets, ok.lengths, { reduction: 'avg' as 'sum' }), /unknown reduction 'avg'/],
  ];
  for (const [what, call, message] of cases) it(what, () => assert.throws(call, message));

  it('NaN logits name the sequence, frame and label position', () => {
    const x = fresh();
    x[((1 * 3 + 1) * 3 + 1) * 4 + 2] = NaN;
    assert.throws(() => rnntLoss(x, shape, ok.targets, ok.lengths), /sequence 1: frame 1, label position 1: logit 2 is NaN/);
    assert.throws(() => rnntLoss(x, shape, ok.targets, ok.lengths, { grad: false }), /sequence 1: frame 1/);
  });

  it('+Infinity logits are rejected', () => {
    const x = fresh();
    x[5] = Infinity;
    assert.throws(() => rnntLoss(x, shape, ok.targets, ok.lengths), /sequence 0: frame 0, label position 1: logit 1 is \+Infinity/);
  });

  it('garbage in the padding is never read', () => {
    const x = fresh();
    const clean = rnntLoss(x, shape, ok.targets, ok.lengths);
    x[((1 * 3 + 2) * 3 + 0) * 4] = NaN; // sequence 1, frame 2 >= its length 2
    x[((1 * 3 + 0) * 3 + 2) * 4] = NaN; // sequence 1, u 2 > its target length 1
    const dirty = rnntLoss(x, shape, ok.targets, ok.lengths);
    assert.deepEqual(Array.from(dirty.losses), Array.from(clean.losses));
    assert.deepEqual(dirty.grad, clean.grad);
  });
});

describe('rnntLoss on impossible targets', () => {
  // a blank logit of -Infinity at sequence 0's last cell makes every alignment impossible
  const impossible = (): Float32Array => {
    const x = fresh();
    x[((0 * 3 + 2) * 3 + 2) * 4 + 0] = -Infinity;
    return x;
  };

  it('gives +Infinity and zero gradient for that sequence only', () => {
    const r = rnntLoss(impossible(), shape, ok.targets, ok.lengths, { reduction: 'sum' });
    assert.equal(r.losses[0], Infinity);
    assert.ok(Number.isFinite(r.losses[1]!));
    assert.equal(r.loss, Infinity);
    const block = 3 * 3 * 4;
    assert.ok(r.grad!.subarray(0, block).every((g) => g === 0));
    assert.ok(r.grad!.subarray(block).some((g) => g !== 0));
    assert.ok(r.grad!.every((g) => !Number.isNaN(g)));
  });

  it('gives 0 under zeroInfinity', () => {
    const r = rnntLoss(impossible(), shape, ok.targets, ok.lengths, { reduction: 'sum', zeroInfinity: true });
    assert.equal(r.losses[0], 0);
    assert.equal(r.loss, r.losses[1]);
    assert.ok(r.grad!.subarray(0, 36).every((g) => g === 0));
  });

  it('-Infinity on an unused label is harmless', () => {
    const x = fresh();
    for (let i = 0; i < x.length; i += 4) x[i + 3] = -Infinity; // label 3 never possible
    const r = rnntLoss(x, shape, [[1, 2], [1]], ok.lengths);
    assert.ok(r.losses.every((l) => Number.isFinite(l)));
    assert.ok(r.grad!.every((g) => Number.isFinite(g)));
  });

  it('a row of only -Infinity is an error', () => {
    const x = fresh();
    x.fill(-Infinity, 0, 4);
    assert.throws(() => rnntLoss(x, shape, ok.targets, ok.lengths), /sequence 0: frame 0, label position 0: every logit is -Infinity/);
  });
});
