import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildKneserNey, corpusSentences } from '../../src/decode/lm/kneser-ney.js';
import { type GridPoint, gridSearchLmWeights, tuneLmWeights } from '../../src/decode/tune-lm-weights.js';
import { peakyFrames } from './brute-force.js';

test('tuneLmWeights finds weights under which the LM mends an acoustic confusion', () => {
  const labels = ['-', ' ', 'a', 'b', 'c', 't', 'o'];
  const C = labels.length;
  const { model } = buildKneserNey(corpusSentences('a cat\na cat\na cat\na bat\n'), { order: 2 });
  // "a cot": 'o' slightly ahead of 'a' at frame 7; the LM knows "cat" and not "cot".
  const x = peakyFrames('-a- -c-o-t-', labels, 0.9);
  for (let c = 0; c < C; c++) x[7 * C + c] = Math.log(0.02);
  x[7 * C + labels.indexOf('o')] = Math.log(0.48);
  x[7 * C + labels.indexOf('a')] = Math.log(0.42);
  const r = tuneLmWeights(labels, [{ logits: x, frames: 11, reference: 'a cat' }], { lm: model, beamWidth: 8, unkScore: 0 }, { alphas: [0, 1], betas: [0] });
  assert.deepEqual(r.grid.map((p) => [p.alpha, p.wer]), [[0, 0.5], [1, 0]]);
  assert.equal(r.alpha, 1);
  assert.equal(r.wer, 0);
  assert.throws(() => tuneLmWeights(labels, [], { lm: model }), /no dev utterances/);
});

test('the grid holds WER and CER; metric "cer" picks the pair of the fewest character errors', () => {
  const refs = ['a cat sat', 'on a mat'];
  // (alpha 0): one word wholly wrong; (alpha 1): two words each one letter off
  const hyps = new Map([[0, ['a cat sat', 'on a xyz']], [1, ['a cut sat', 'on a mut']]]);
  const byWer = gridSearchLmWeights(refs, ({ alpha }) => hyps.get(alpha)!, { alphas: [0, 1], betas: [0] });
  const byCer = gridSearchLmWeights(refs, ({ alpha }) => hyps.get(alpha)!, { alphas: [0, 1], betas: [0], metric: 'cer' });
  assert.deepEqual(byWer.grid.map((p) => [p.wer, p.cer]), [[1 / 6, 3 / 17], [2 / 6, 2 / 17]]);
  assert.equal(byWer.alpha, 0);
  assert.equal(byCer.alpha, 1);
});

test('a CTC grid over label bonuses: a bonus that pays back the letter a heavy character LM drops wins', () => {
  const labels = ['-', ' ', 'a', 'b'];
  const C = labels.length;
  // lines mostly end after 'a': the LM would rather drop a 'b' the network is not sure of
  const { model } = buildKneserNey(corpusSentences('a\na\na\na\nab\n', 'char', '<sp>'), { order: 3 });
  const x = peakyFrames('-a--b--', labels, 0.9);
  for (let c = 0; c < C; c++) x[4 * C + c] = Math.log(0.05);
  x[4 * C + labels.indexOf('b')] = Math.log(0.5);
  x[4 * C + labels.indexOf('-')] = Math.log(0.4);
  const opts = { lm: model, lmUnit: 'char' as const, charLmDelimiter: '<sp>', beamWidth: 8 };
  const r = tuneLmWeights(labels, [{ logits: x, frames: 7, reference: 'ab' }], opts, { alphas: [1], betas: [0], labelBonuses: [0, 2], metric: 'cer' });
  assert.deepEqual(r.grid.map((p) => [p.alpha, p.beta, p.labelBonus, p.cer]), [[1, 0, 0, 0.5], [1, 0, 2, 0]]);
  assert.equal(r.labelBonus, 2);
  // without label bonuses the grid is alpha x beta, each point's bonus 0
  assert.deepEqual(tuneLmWeights(labels, [{ logits: x, frames: 7, reference: 'ab' }], opts, { alphas: [0, 1], betas: [0, 1] }).grid.map((p) => p.labelBonus), [0, 0, 0, 0]);
});

test('the grid crosses every axis given, the first slowest; word LM weights and unknown-word scores only where asked', () => {
  const seen: GridPoint[] = [];
  const r = gridSearchLmWeights(['x'], (p) => {
    seen.push(p);
    return [p.wordLmAlpha === 0.5 && p.unkScore === -3 && p.alpha === 1 ? 'x' : 'y'];
  }, { alphas: [0, 1], betas: [0], labelBonuses: [2], wordLmAlphas: [0.2, 0.5], unkScores: [-3, -6], metric: 'cer' });
  assert.deepEqual(seen.map((p) => [p.alpha, p.beta, p.labelBonus, p.wordLmAlpha, p.unkScore]), [
    [0, 0, 2, 0.2, -3], [0, 0, 2, 0.2, -6], [0, 0, 2, 0.5, -3], [0, 0, 2, 0.5, -6],
    [1, 0, 2, 0.2, -3], [1, 0, 2, 0.2, -6], [1, 0, 2, 0.5, -3], [1, 0, 2, 0.5, -6],
  ]);
  assert.deepEqual([r.alpha, r.wordLmAlpha, r.unkScore, r.cer], [1, 0.5, -3, 0]);
  const plain = gridSearchLmWeights(['x'], (p) => {
    assert.deepEqual(Object.keys(p).sort(), ['alpha', 'beta', 'labelBonus']);
    return ['x'];
  }, { alphas: [1], betas: [0] });
  assert.equal(plain.grid.length, 1);
  assert.throws(() => gridSearchLmWeights(['x'], () => ['x'], { unkScores: [] }), /empty grid/);
});
