import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchEpoch, batchFrames, batchPlanFingerprint, resumeEpoch } from '../../src/data/batching.js';
import type { BatchIndices, BatchingOptions } from '../../src/data/batching.js';
import { rng } from '../helpers/compare.js';

function randomLengths(n: number, seed: number, lo = 50, hi = 1000): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(next() * (hi - lo)));
}

function assertPartition(batches: BatchIndices[], n: number): void {
  const seen = new Uint8Array(n);
  for (const b of batches) {
    assert.ok(b.length > 0, 'empty batch');
    for (const i of b) {
      assert.ok(Number.isInteger(i) && i >= 0 && i < n, `bad index ${i}`);
      assert.equal(seen[i], 0, `item ${i} twice`);
      seen[i] = 1;
    }
  }
  assert.ok(seen.every((s) => s === 1), 'some item missing');
}

test('every item exactly once, limits respected, longest first within a batch', () => {
  for (const [n, opts] of [
    [500, { maxBatchSize: 16, seed: 1 }],
    [500, { maxFrames: 8000, seed: 2 }],
    [333, { maxBatchSize: 10, maxFrames: 5000, seed: 3, lengthNoise: 0.3 }],
    [7, { maxBatchSize: 100, seed: 4 }],
  ] as [number, BatchingOptions][]) {
    const lengths = randomLengths(n, n);
    for (let epoch = 0; epoch < 3; epoch++) {
      const batches = batchEpoch(lengths, opts, epoch);
      assertPartition(batches, n);
      for (const b of batches) {
        if (opts.maxBatchSize !== undefined) assert.ok(b.length <= opts.maxBatchSize);
        if (opts.maxFrames !== undefined && b.length > 1) assert.ok(batchFrames(b, lengths).padded <= opts.maxFrames);
        for (let k = 1; k < b.length; k++) assert.ok(lengths[b[k - 1]!]! >= lengths[b[k]!]!, 'not longest first');
      }
    }
  }
});

test('batches hold similar lengths: little padding compared with random batches', () => {
  const lengths = randomLengths(2000, 9);
  const padding = (batches: BatchIndices[]): number => {
    let padded = 0;
    let real = 0;
    for (const b of batches) {
      const f = batchFrames(b, lengths);
      padded += f.padded;
      real += f.real;
    }
    return padded / real;
  };
  const bucketed = padding(batchEpoch(lengths, { maxBatchSize: 16, seed: 1 }, 0));
  const next = rng(3);
  const shuffled = lengths.map((_, i) => i).sort(() => next() - 0.5);
  const randomBatches: BatchIndices[] = [];
  for (let i = 0; i < shuffled.length; i += 16) randomBatches.push(shuffled.slice(i, i + 16));
  const random = padding(randomBatches);
  assert.ok(bucketed < 1.12, `bucketed padding overhead ${bucketed}`);
  assert.ok(random > 1.5, `random padding overhead ${random}`);
});

test('deterministic for a seed; epochs and seeds differ', () => {
  const lengths = randomLengths(300, 5);
  const opts = { maxBatchSize: 8, seed: 42 };
  assert.deepEqual(batchEpoch(lengths, opts, 3), batchEpoch(lengths, opts, 3));
  assert.notDeepEqual(batchEpoch(lengths, opts, 3), batchEpoch(lengths, opts, 4));
  assert.notDeepEqual(batchEpoch(lengths, opts, 3), batchEpoch(lengths, { ...opts, seed: 43 }, 3));
  // Membership changes between epochs, not only the order of the batches.
  const sets = (e: number): string[] => batchEpoch(lengths, opts, e).map((b) => [...b].sort((x, y) => x - y).join(',')).sort();
  assert.notDeepEqual(sets(0), sets(1));
});

test('lengthNoise 0 keeps batch membership (distinct lengths) and reshuffles the order', () => {
  const lengths = Array.from({ length: 64 }, (_, i) => 100 + ((i * 37) % 64));
  const opts = { maxBatchSize: 8, seed: 7, lengthNoise: 0 };
  const e0 = batchEpoch(lengths, opts, 0);
  const e1 = batchEpoch(lengths, opts, 1);
  const key = (bs: BatchIndices[]): string[] => bs.map((b) => b.join(',')).sort();
  assert.deepEqual(key(e0), key(e1));
  assert.notDeepEqual(e0, e1);
});

test('shuffle: false gives batches in increasing length, whatever the seed', () => {
  const lengths = randomLengths(100, 11);
  const a = batchEpoch(lengths, { maxBatchSize: 10, seed: 1, shuffle: false }, 0);
  const b = batchEpoch(lengths, { maxBatchSize: 10, seed: 2, shuffle: false }, 5);
  assert.deepEqual(a, b);
  const flat = a.flatMap((batch) => [...batch].reverse()).map((i) => lengths[i]!);
  assert.deepEqual(flat, [...flat].sort((x, y) => x - y));
});

test('resumeEpoch gives exactly the remaining batches of the interrupted epoch', () => {
  const lengths = randomLengths(200, 13);
  const opts = { maxFrames: 4000, seed: 9 };
  const all = batchEpoch(lengths, opts, 2);
  for (const k of [0, 1, Math.floor(all.length / 2), all.length]) {
    assert.deepEqual(resumeEpoch(lengths, opts, 2, k), all.slice(k));
  }
  assert.throws(() => resumeEpoch(lengths, opts, 2, all.length + 1), /cannot resume epoch 2 at batch/);
});

test('an item longer than maxFrames gets a batch of its own; no items, no batches', () => {
  const batches = batchEpoch([10, 10, 500, 10], { maxFrames: 100, seed: 0 }, 0);
  assertPartition(batches, 4);
  assert.ok(batches.some((b) => b.length === 1 && b[0] === 2));
  assert.deepEqual(batchEpoch([], { maxBatchSize: 4, seed: 0 }, 0), []);
});

test('bad options and lengths are rejected with a message', () => {
  assert.throws(() => batchEpoch([1], { seed: 0 }, 0), /maxBatchSize, maxFrames or both/);
  assert.throws(() => batchEpoch([1], { maxBatchSize: 0, seed: 0 }, 0), /maxBatchSize must be a positive/);
  assert.throws(() => batchEpoch([1], { maxBatchSize: 2.5, seed: 0 }, 0), /integer/);
  assert.throws(() => batchEpoch([1, NaN], { maxBatchSize: 2, seed: 0 }, 0), /item 1/);
  assert.throws(() => batchEpoch([1], { maxBatchSize: 2, seed: 0.5 }, 0), /seed/);
  assert.throws(() => batchEpoch([1], { maxBatchSize: 2, seed: 0 }, -1), /epoch/);
  assert.throws(() => batchEpoch([1], { maxBatchSize: 2, seed: 0, lengthNoise: 1 }, 0), /lengthNoise/);
});

test('the fingerprint changes with the data or the options, and only then', () => {
  const lengths = randomLengths(50, 17);
  const opts = { maxBatchSize: 8, seed: 1 };
  const f = batchPlanFingerprint(lengths, opts);
  assert.match(f, /^[0-9a-f]{16}$/);
  assert.equal(batchPlanFingerprint([...lengths], { ...opts }), f);
  assert.notEqual(batchPlanFingerprint(lengths, { ...opts, seed: 2 }), f);
  assert.notEqual(batchPlanFingerprint(lengths, { ...opts, maxFrames: 1000 }), f);
  const changed = [...lengths];
  changed[10] = changed[10]! + 1;
  assert.notEqual(batchPlanFingerprint(changed, opts), f);
  assert.notEqual(batchPlanFingerprint(lengths.slice(1), opts), f);
});
