import { test } from 'node:test';
import assert from 'node:assert/strict';
import { align, errorRate, sumCounts, zeroCounts } from '../../src/metrics/align.js';
import type { Alignment } from '../../src/metrics/align.js';
import { rng } from '../helpers/compare.js';

/** Slow reference: the textbook recursion with a memo. */
function slowDistance<T>(a: readonly T[], b: readonly T[]): number {
  const memo = new Map<number, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = i * (b.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const v = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    memo.set(key, v);
    return v;
  };
  return d(a.length, b.length);
}

/** Checks that an alignment is internally consistent and spells out both sequences. */
function checkConsistent<T>(al: Alignment<T>, ref: readonly T[], hyp: readonly T[]): void {
  assert.deepEqual(al.pairs.filter((p) => p.ref !== null).map((p) => p.ref), ref);
  assert.deepEqual(al.pairs.filter((p) => p.hyp !== null).map((p) => p.hyp), hyp);
  const count = (op: string): number => al.pairs.filter((p) => p.op === op).length;
  assert.equal(al.hits, count('hit'));
  assert.equal(al.substitutions, count('sub'));
  assert.equal(al.deletions, count('del'));
  assert.equal(al.insertions, count('ins'));
  assert.equal(al.errors, al.substitutions + al.deletions + al.insertions);
  assert.equal(al.refLength, ref.length);
  assert.equal(al.hypLength, hyp.length);
  assert.equal(al.hits + al.substitutions + al.deletions, ref.length);
  assert.equal(al.hits + al.substitutions + al.insertions, hyp.length);
  for (const p of al.pairs) {
    if (p.op === 'hit') assert.equal(p.ref, p.hyp);
    if (p.op === 'sub') assert.notEqual(p.ref, p.hyp);
    if (p.op === 'del') assert.equal(p.hyp, null);
    if (p.op === 'ins') assert.equal(p.ref, null);
  }
}

test('align: kitten -> sitting is two substitutions and one insertion', () => {
  const ref = [...'kitten'];
  const hyp = [...'sitting'];
  const al = align(ref, hyp);
  checkConsistent(al, ref, hyp);
  assert.deepEqual([al.substitutions, al.deletions, al.insertions, al.hits], [2, 0, 1, 4]);
  assert.deepEqual(al.pairs.map((p) => p.op), ['sub', 'hit', 'hit', 'hit', 'sub', 'hit', 'ins']);
});

test('align: empty reference is all insertions, empty hypothesis all deletions', () => {
  const ins = align([], ['a', 'b']);
  assert.deepEqual([ins.insertions, ins.errors, ins.refLength], [2, 2, 0]);
  assert.equal(errorRate(ins), Infinity);
  const del = align(['a', 'b', 'c'], []);
  assert.deepEqual([del.deletions, del.errors, del.refLength], [3, 3, 3]);
  assert.equal(errorRate(del), 1);
  const none = align([], []);
  assert.deepEqual(none.pairs, []);
  assert.equal(errorRate(none), 0);
});

test('align: custom equality', () => {
  const al = align(['A', 'b'], ['a', 'B'], (x, y) => x.toLowerCase() === y.toLowerCase());
  assert.equal(al.hits, 2);
  assert.equal(al.errors, 0);
});

test('align: edit distance matches the slow reference on random pairs', () => {
  const next = rng(5);
  for (let trial = 0; trial < 400; trial++) {
    const alphabet = 1 + Math.floor(next() * 4);
    const make = (): number[] => Array.from({ length: Math.floor(next() * 9) }, () => Math.floor(next() * alphabet));
    const ref = make();
    const hyp = make();
    const al = align(ref, hyp);
    checkConsistent(al, ref, hyp);
    assert.equal(al.errors, slowDistance(ref, hyp), `ref ${ref} hyp ${hyp}`);
  }
});

test('sumCounts adds per-utterance counts; the corpus rate is total errors over total reference length', () => {
  const a = align(['a', 'b'], ['a']);
  const b = align(['c'], ['c', 'd']);
  const t = sumCounts([a, b]);
  assert.deepEqual(t, { hits: 2, substitutions: 0, deletions: 1, insertions: 1, errors: 2, refLength: 3, hypLength: 3 });
  assert.equal(errorRate(t), 2 / 3);
  assert.deepEqual(sumCounts([]), zeroCounts());
});
