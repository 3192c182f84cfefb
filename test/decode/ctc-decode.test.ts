/** collapse and best-path decoding, with the seed's examples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapse, collapseWithStarts } from '../../src/decode/collapse.js';
import { ctcGreedyDecode } from '../../src/decode/greedy.js';

const alphabet = '-abcdefghijklmnopqrstuvwxyz'; // '-' is the blank, class 0
const ids = (s: string): number[] => [...s].map((ch) => alphabet.indexOf(ch));
const text = (tokens: number[]): string => tokens.map((k) => alphabet[k]).join('');

/** Logits [T, 1, C] whose arg-max spells `path` (the chosen class 3, the rest 0 or -1). */
function logitsFor(path: string): Float32Array {
  const C = alphabet.length;
  const x = new Float32Array(path.length * C);
  for (let t = 0; t < path.length; t++) {
    for (let c = 0; c < C; c++) x[t * C + c] = (c * 7 + t) % 2 === 0 ? 0 : -1;
    x[t * C + alphabet.indexOf(path[t]!)] = 3;
  }
  return x;
}

test('collapse: merge repeats, then drop blanks (the seed examples)', () => {
  assert.equal(text(collapse(ids('hhhey'))), 'hey');
  assert.equal(text(collapse(ids('mm-ee-ee-t'))), 'meet');
  assert.equal(text(collapse(ids('mmm-e-e-ttt'))), 'meet');
  assert.equal(text(collapse(ids('--a--'))), 'a');
  assert.deepEqual(collapse([]), []);
  assert.deepEqual(collapse([2, 2, 0, 2, 1, 1], 1), [2, 0, 2]); // blank 1
  assert.deepEqual(collapseWithStarts(ids('mm-ee-ee-t')).starts, [0, 3, 6, 9]);
});

test('greedy decoding of constructed logits spells the seed examples, with start frames', () => {
  for (const [path, want, starts] of [
    ['hhhey', 'hey', [0, 3, 4]], ['mm-ee-ee-t', 'meet', [0, 3, 6, 9]], ['mmm-e-e-ttt', 'meet', [0, 4, 6, 8]],
  ] as const) {
    const x = logitsFor(path);
    const [h] = ctcGreedyDecode(x, [path.length, 1, alphabet.length]);
    assert.equal(text(h!.tokens), want);
    assert.deepEqual(h!.timesteps, starts);
  }
});

test('greedy score is the best path log-probability; lengths cut a batch; blank is an option', () => {
  const C = 3;
  const T = 4;
  const B = 2;
  const x = new Float32Array(T * B * C);
  const rows = [[2, 0, 1], [0, 3, 1], [0, 3, 1], [1, 0, 5], [0, 0, 4], [1, 1, 0], [2, 1, 0], [9, 0, 0]];
  rows.forEach((r, i) => x.set(r, i * C));
  const hs = ctcGreedyDecode(x, [T, B, C], [4, 2], { blank: 2 });
  // Sequence 0 frames: rows 0, 2, 4, 6 -> argmax 0, 1, 2, 0 -> with blank 2: [0, 1, 0].
  assert.deepEqual(hs[0]!.tokens, [0, 1, 0]);
  assert.deepEqual(hs[0]!.timesteps, [0, 1, 3]);
  let score = 0;
  for (const i of [0, 2, 4, 6]) {
    const r = rows[i]!;
    const m = Math.max(...r);
    score += m - Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
  }
  assert.ok(Math.abs(hs[0]!.score - score) < 1e-6);
  // Sequence 1, 2 frames: rows 1, 3 -> argmax 1, 2 -> [1].
  assert.deepEqual(hs[1]!.tokens, [1]);
  assert.deepEqual(hs[1]!.timesteps, [0]);
});

test('greedy decoding rejects malformed input', () => {
  const x = new Float32Array(12);
  assert.throws(() => ctcGreedyDecode(x, [2, 2, 4]), /logits has 12 values/);
  assert.throws(() => ctcGreedyDecode(x, [3, 1, 4], [4]), /sequence 0: length 4 is not in \[0, 3\]/);
  assert.throws(() => ctcGreedyDecode(x, [3, 1, 4], [3, 3]), /2 lengths for a batch of 1/);
  assert.throws(() => ctcGreedyDecode(x, [3, 1, 4], undefined, { blank: 4 }), /blank 4/);
  x[6] = NaN;
  assert.throws(() => ctcGreedyDecode(x, [3, 1, 4]), /sequence 0: logit at frame 1, class 2 is NaN/);
  x[6] = -Infinity; // allowed: a log-probability of zero
  assert.deepEqual(ctcGreedyDecode(x, [3, 1, 4])[0]!.tokens, []);
});
