/** The one decoder factory and the one hypothesis -> transcript function. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CtcOutput } from '../../src/decode/acoustic-output.js';
import { bestPaths } from '../../src/decode/best-path.js';
import { createDecoder } from '../../src/decode/decoder.js';
import { CtcBeamSearchDecoder } from '../../src/decode/prefix-beam-search.js';
import { toTranscript } from '../../src/decode/transcript.js';
import { Random } from '../../src/math/random.js';

const labels = ['', ' ', 'a', 'b', 'c'];

/** Random logits [T, B, C] for two utterances of different lengths. */
function ctcOutput(seed: number): CtcOutput {
  const T = 12, B = 2, C = labels.length;
  const rng = new Random(seed);
  const logits = new Float32Array(T * B * C);
  for (let i = 0; i < logits.length; i++) logits[i] = 3 * rng.uniform();
  return { kind: 'ctc', logits, shape: [T, B, C], lengths: [12, 9] };
}

test('greedy on CTC output is best path; a beam option makes it the prefix beam search', () => {
  const y = ctcOutput(1);
  const greedy = createDecoder({}, labels);
  assert.equal(greedy.search, 'greedy');
  assert.deepEqual(greedy.decode(y), bestPaths(y.logits, y.shape, y.lengths, { labels }).map((h) => [h]));
  const beam = createDecoder({ beamWidth: 4, nBest: 2 }, labels);
  assert.equal(beam.search, 'beam');
  assert.equal(beam.nBest, 2);
  const want = new CtcBeamSearchDecoder(labels, { beamWidth: 4, nBest: 2 }).decode(y.logits, y.shape, y.lengths);
  const got = beam.decode(y);
  assert.deepEqual(got.map((n) => n.map((h) => [h.tokens, h.timesteps, h.score])), want.map((n) => n.map((h) => [h.tokens, h.timesteps, h.score])));
  // a transcript's confidence is its words' geometric mean
  for (const h of got.flat()) {
    const words = h.words!.map((w) => w.confidence!);
    const mean = words.length === 0 ? 1 : Math.exp(words.reduce((s, c) => s + Math.log(c), 0) / words.length);
    assert.ok(Math.abs(h.confidence! - mean) < 1e-12);
  }
});

test('options for the other kind of model throw when they meet its output', () => {
  assert.throws(() => createDecoder({ rnntSearch: 'graves' }, labels).decode(ctcOutput(2)), /rnntSearch applies to RNN-T models/);
  assert.throws(() => createDecoder({ search: 'greedy', hotwords: ['ab'] }, labels), /need a beam search/);
  assert.throws(() => createDecoder({ search: 'wide' as 'beam' }, labels), /search must be 'greedy' or 'beam'/);
});

test('toTranscript derives text, words and times from a bare hypothesis', () => {
  // tokens "ab c" at frames 1, 2, 4, 6 (0.5 s a frame)
  const t = toTranscript([{ tokens: [2, 3, 1, 4], timesteps: [1, 2, 4, 6], score: -2, confidence: 0.5 }, { tokens: [2], timesteps: [0], score: -3 }],
    { labels, secondsPerFrame: 0.5, duration: 4, alternatives: true });
  assert.equal(t.text, 'ab c');
  assert.deepEqual(t.words.map((w) => [w.word, w.start, w.end, w.confidence]), [['ab', 0.5, 1.5, 0.5], ['c', 3, 3.5, 0.5]]);
  assert.deepEqual(t.tokenTimings.map((k) => [k.token, k.start, k.end, k.confidence]), [['a', 0.5, 1, 0.5], ['b', 1, 1.5, 0.5], [' ', 2, 2.5, 0.5], ['c', 3, 3.5, 0.5]]);
  assert.deepEqual(t.alternatives, [{ text: 'ab c', score: -2 }, { text: 'a', score: -3 }]);
  assert.equal(t.duration, 4);
  const empty = toTranscript([], { labels, secondsPerFrame: 0.5, duration: 1 });
  assert.deepEqual([empty.text, empty.words, empty.confidence, empty.alternatives], ['', [], 1, undefined]);
});
