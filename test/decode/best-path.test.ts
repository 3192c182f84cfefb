import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestPaths, type BestPathOptions } from '../../src/decode/best-path.js';

/** One sequence of a batch, decoded. */
function bestPath(logits: Float32Array, shape: [number, number, number], b: number, length: number, options: BestPathOptions = {}) {
  const lengths = new Array<number>(shape[1]).fill(0);
  lengths[b] = length;
  return bestPaths(logits, shape, lengths, options)[b]!;
}

/** Logits [T, 1, C] putting probability p on the given class at each frame (the rest spread evenly). */
function peaked(classes: number[], C: number, p = 0.9): Float32Array {
  const out = new Float32Array(classes.length * C);
  classes.forEach((k, t) => {
    for (let c = 0; c < C; c++) out[t * C + c] = Math.log(c === k ? p : (1 - p) / (C - 1));
  });
  return out;
}

const LABELS = ['', ' ', 'a', 'b'];

test('bestPath collapses repeats, drops blanks, and times tokens and words', () => {
  // frames: a a - b b - ' ' b - a
  const path = [2, 2, 0, 3, 3, 0, 1, 3, 0, 2];
  const h = bestPath(peaked(path, 4), [path.length, 1, 4], 0, path.length, { labels: LABELS });
  assert.deepEqual(h.tokens, [2, 3, 1, 3, 2]);
  assert.deepEqual(h.timesteps, [0, 3, 6, 7, 9]);
  assert.deepEqual(h.tokenEnds, [1, 4, 6, 7, 9]);
  assert.equal(h.text, 'ab ba');
  assert.deepEqual(h.words.map((w) => [w.word, w.startFrame, w.endFrame]), [['ab', 0, 4], ['ba', 7, 9]]);
  assert.ok(Math.abs(h.confidence - 0.9) < 1e-6);
  assert.ok(Math.abs(h.score - path.length * Math.log(0.9)) < 1e-6);
  for (const w of h.words) assert.ok(Math.abs(w.confidence! - 0.9) < 1e-6);
});

test('bestPath keeps a repeated label apart when a blank separates it, and merges it otherwise', () => {
  const h = bestPath(peaked([2, 0, 2, 2, 3], 4), [5, 1, 4], 0, 5, { labels: LABELS });
  assert.equal(h.text, 'aab');
  assert.equal(bestPath(peaked([2, 2, 2], 4), [3, 1, 4], 0, 3, { labels: LABELS }).text, 'a');
});

test('bestPath drops leading, trailing and doubled delimiters from the text', () => {
  const h = bestPath(peaked([1, 2, 0, 1, 0, 1, 3, 1], 4), [8, 1, 4], 0, 8, { labels: LABELS });
  assert.equal(h.text, 'a b');
  assert.equal(h.words.length, 2);
});

test('bestPath reads one sequence of a padded batch, over its own length', () => {
  const C = 4, T = 3, B = 2;
  const a = peaked([2, 0, 3], C), b = peaked([3, 3, 2], C);
  const x = new Float32Array(T * B * C);
  for (let t = 0; t < T; t++) {
    x.set(a.subarray(t * C, (t + 1) * C), (t * B + 0) * C);
    x.set(b.subarray(t * C, (t + 1) * C), (t * B + 1) * C);
  }
  assert.equal(bestPath(x, [T, B, C], 0, 3, { labels: LABELS }).text, 'ab');
  assert.equal(bestPath(x, [T, B, C], 1, 2, { labels: LABELS }).text, 'b');
  assert.equal(bestPath(x, [T, B, C], 1, 0, { labels: LABELS }).text, '');
});

test('bestPath confidence falls as the posteriors flatten', () => {
  const sure = bestPath(peaked([2, 3], 4, 0.99), [2, 1, 4], 0, 2, { labels: LABELS });
  const unsure = bestPath(peaked([2, 3], 4, 0.4), [2, 1, 4], 0, 2, { labels: LABELS });
  assert.ok(sure.confidence > unsure.confidence);
  assert.ok(unsure.words[0]!.confidence! < 0.5);
});

test('bestPaths rejects bad input', () => {
  assert.throws(() => bestPaths(new Float32Array(7), [2, 1, 4], [2]), /7 values/);
  assert.throws(() => bestPaths(new Float32Array(8), [2, 1, 4], [3]), /length 3/);
  assert.throws(() => bestPaths(new Float32Array(8).fill(NaN), [2, 1, 4], [2]), /NaN/);
  assert.throws(() => bestPaths(new Float32Array(8), [2, 1, 4], [2], { labels: ['', 'a'] }), /2 labels for 4 classes/);
});
