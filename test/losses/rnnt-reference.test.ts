import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rnntLoss } from '../../src/losses/rnnt.js';
import { maxAbsDiff, randomArray, rng } from '../helpers/compare.js';
import { bruteForceRnnt } from './rnnt-slow-reference.js';

/** A random padded batch: B sequences, each with its own frames and target length. */
function randomBatch(seed: number, B: number, T: number, U1: number, V: number, blank: number, scale = 2) {
  const next = rng(seed);
  const logits = randomArray(B * T * U1 * V, next, scale);
  const labels = [...Array(V).keys()].filter((k) => k !== blank);
  const targets: number[][] = [];
  const lengths: number[] = [];
  for (let b = 0; b < B; b++) {
    lengths.push(b === 0 ? T : 1 + Math.floor(next() * T));
    const U = b === 0 ? U1 - 1 : Math.floor(next() * U1);
    targets.push(Array.from({ length: U }, () => labels[Math.floor(next() * labels.length)]!));
  }
  return { logits, shape: [B, T, U1, V] as [number, number, number, number], targets, lengths };
}

describe('rnntLoss against the brute-force sum over alignments', () => {
  for (const [seed, blank] of [[1, 0], [2, 3], [3, 1]] as const) {
    it(`random padded batch, seed ${seed}, blank ${blank}`, () => {
      const { logits, shape, targets, lengths } = randomBatch(seed, 4, 5, 4, 4, blank);
      const [B, T, U1, V] = shape;
      const r = rnntLoss(logits, shape, targets, lengths, { blank, reduction: 'sum' });
      const block = T * U1 * V;
      for (let b = 0; b < B; b++) {
        const ref = bruteForceRnnt(logits, b * block, T, U1, V, lengths[b]!, targets[b]!, blank);
        assert.ok(Math.abs(r.losses[b]! - ref.loss) <= 1e-12 * Math.max(1, ref.loss), `loss ${b}: ${r.losses[b]} vs ${ref.loss}`);
        // float64 throughout; the only rounding left is the float32 output
        const d = maxAbsDiff(r.grad!.subarray(b * block, (b + 1) * block), ref.grad);
        assert.ok(d < 1e-7, `grad ${b}: max diff ${d}`);
      }
    });
  }

  it("'mean' is the plain batch mean and scales the gradient by 1/B", () => {
    const { logits, shape, targets, lengths } = randomBatch(7, 3, 4, 3, 5, 0);
    const sum = rnntLoss(logits, shape, targets, lengths, { reduction: 'sum' });
    const mean = rnntLoss(logits, shape, targets, lengths);
    assert.ok(Math.abs(mean.loss - sum.loss / 3) < 1e-12);
    for (let i = 0; i < logits.length; i++) assert.ok(Math.abs(mean.grad![i]! - sum.grad![i]! / 3) < 1e-7);
  });

  it('an empty target sums the all-blank path only', () => {
    const logits = randomArray(1 * 3 * 2 * 3, rng(5), 1);
    const r = rnntLoss(logits, [1, 3, 2, 3], [[]], [3], { reduction: 'sum' });
    const ref = bruteForceRnnt(logits, 0, 3, 2, 3, 3, [], 0);
    assert.ok(Math.abs(r.loss - ref.loss) < 1e-12);
    assert.ok(maxAbsDiff(r.grad!, ref.grad) < 1e-7);
  });
});

describe('rnntLoss edge shapes', () => {
  it('one frame and no labels at all (U1 = 1): the loss is -log p(blank)', () => {
    const logits = Float32Array.from([0.5, -1, 2, 0.3, 0.1, -0.2]); // [2, 1, 1, 3]
    const r = rnntLoss(logits, [2, 1, 1, 3], [[], []], [1, 1], { blank: 2, reduction: 'none' });
    for (let b = 0; b < 2; b++) {
      const ref = bruteForceRnnt(logits, b * 3, 1, 1, 3, 1, [], 2);
      assert.ok(Math.abs(r.losses[b]! - ref.loss) < 1e-12);
      assert.ok(maxAbsDiff(r.grad!.subarray(b * 3, b * 3 + 3), ref.grad) < 1e-7);
    }
  });

  it('a vocabulary of only the blank: a certain path, loss +0 and zero gradient', () => {
    const r = rnntLoss(Float32Array.from([1, 2, 3]), [1, 3, 1, 1], [[]], [3]);
    assert.ok(Object.is(r.loss, 0));
    assert.deepEqual(Array.from(r.grad!), [0, 0, 0]);
  });

  it('every label at the one frame there is', () => {
    const logits = randomArray(1 * 1 * 4 * 5, rng(8), 2);
    const r = rnntLoss(logits, [1, 1, 4, 5], [[4, 1, 3]], [1], { reduction: 'sum' });
    const ref = bruteForceRnnt(logits, 0, 1, 4, 5, 1, [4, 1, 3], 0);
    assert.ok(Math.abs(r.loss - ref.loss) < 1e-12);
    assert.ok(maxAbsDiff(r.grad!, ref.grad) < 1e-7);
  });
});

describe('rnntLoss gradient by finite differences', () => {
  it('matches central differences of the float64 loss', () => {
    const { logits, shape, targets, lengths } = randomBatch(11, 2, 4, 3, 5, 2);
    const opts = { blank: 2, reduction: 'mean' as const };
    const g = rnntLoss(logits, shape, targets, lengths, opts).grad!;
    const next = rng(12);
    const h = 1e-3;
    for (let trial = 0; trial < 40; trial++) {
      const i = Math.floor(next() * logits.length);
      const x = logits[i]!;
      logits[i] = x + h; const hi = logits[i]!;
      const lp = rnntLoss(logits, shape, targets, lengths, { ...opts, grad: false }).loss;
      logits[i] = x - h; const lo = logits[i]!;
      const lm = rnntLoss(logits, shape, targets, lengths, { ...opts, grad: false }).loss;
      logits[i] = x;
      // divide by the float32 step actually taken; O(h^2) truncation is ~1e-7 here
      const fd = (lp - lm) / (hi - lo);
      assert.ok(Math.abs(fd - g[i]!) < 2e-6, `logit ${i}: fd ${fd} vs grad ${g[i]}`);
    }
  });

  it('padding gets exactly zero gradient', () => {
    const { logits, shape, targets, lengths } = randomBatch(13, 3, 6, 4, 3, 0);
    const [B, T, U1, V] = shape;
    const g = rnntLoss(logits, shape, targets, lengths).grad!;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        for (let u = 0; u < U1; u++) {
          if (t < lengths[b]! && u <= targets[b]!.length) continue;
          for (let k = 0; k < V; k++) assert.equal(g[((b * T + t) * U1 + u) * V + k], 0, `b ${b} t ${t} u ${u}`);
        }
      }
    }
  });
});
