import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignChars, alignWords, cer, formatAlignment, scoreTranscripts, splitChars, splitWords, wer } from '../../src/metrics/error-rate.js';

test('splitWords and splitChars normalise whitespace and Unicode composition', () => {
  assert.deepEqual(splitWords('  the\tcat \n sat '), ['the', 'cat', 'sat']);
  assert.deepEqual(splitWords('   '), []);
  assert.deepEqual(splitChars(' a  b '), ['a', ' ', 'b']);
  assert.deepEqual(splitChars(' a  b ', { includeSpaces: false }), ['a', 'b']);
  assert.deepEqual(splitChars('cafe\u0301'), ['c', 'a', 'f', '\u00e9']);
  assert.deepEqual(splitChars('a\u{1F600}'), ['a', '\u{1F600}']);
});

test('wer: one substitution and one deletion in six words', () => {
  const al = alignWords('the cat sat on the mat', 'the bat sat on mat');
  assert.deepEqual([al.hits, al.substitutions, al.deletions, al.insertions], [4, 1, 1, 0]);
  assert.deepEqual(al.pairs[1], { op: 'sub', ref: 'cat', hyp: 'bat' });
  assert.deepEqual(al.pairs[4], { op: 'del', ref: 'the', hyp: null });
  assert.equal(wer('the cat sat on the mat', 'the bat sat on mat'), 2 / 6);
});

test('wer: edge cases (empty reference, empty hypothesis, all insertions)', () => {
  assert.equal(wer('', ''), 0);
  assert.equal(wer('', 'hello there'), Infinity);
  assert.equal(wer('a b c', ''), 1);
  assert.equal(wer('a', 'x a y'), 2);
  const al = alignWords('a', 'x a y');
  assert.deepEqual(al.pairs.map((p) => p.op), ['ins', 'hit', 'ins']);
});

test('cer counts spaces by default, and not with includeSpaces: false', () => {
  assert.equal(cer('abc', 'abd'), 1 / 3);
  assert.equal(cer('hello world', 'helloworld'), 1 / 11);
  assert.equal(cer('hello world', 'helloworld', { includeSpaces: false }), 0);
  assert.equal(cer('hello  world ', ' hello world'), 0);
  const al = alignChars('hello world', 'hello wold');
  assert.deepEqual([al.deletions, al.refLength], [1, 11]);
});

test('corpus rates sum errors over utterances, not mean per-utterance rates', () => {
  // 1 error in 1 word, 0 errors in 3 words: corpus WER 1/4 (the mean of rates would be 1/2).
  assert.equal(wer(['a', 'b c d'], ['x', 'b c d']), 1 / 4);
  assert.equal(cer(['ab', 'cd'], ['a', 'cd']), 1 / 4);
  assert.throws(() => wer(['a'], ['a', 'b']), /1 references but 2 hypotheses/);
});

test('scoreTranscripts gives per-utterance alignments and totals', () => {
  const score = scoreTranscripts([
    { id: 'u1', ref: 'the cat', hyp: 'the hat' },
    { id: 'u2', ref: 'sat', hyp: '' },
  ]);
  assert.equal(score.utterances.length, 2);
  assert.equal(score.utterances[0]!.id, 'u1');
  assert.equal(score.utterances[0]!.words.substitutions, 1);
  assert.equal(score.utterances[1]!.words.deletions, 1);
  assert.deepEqual([score.words.errors, score.words.refLength], [2, 3]);
  assert.equal(score.wer, 2 / 3);
  // chars: "the cat" vs "the hat" 1 sub of 7; "sat" vs "" 3 deletions.
  assert.deepEqual([score.chars.errors, score.chars.refLength], [4, 10]);
  assert.equal(score.cer, 4 / 10);
});

test('formatAlignment lines up REF, HYP and edit marks', () => {
  const text = formatAlignment(alignWords('the cat sat on the mat', 'cat sat on a mat today'));
  assert.equal(text, [
    'REF: the cat sat on the mat *****',
    'HYP: *** cat sat on a   mat today',
    '     D              S       I',
  ].join('\n'));
  assert.equal(formatAlignment(alignChars('a b', 'ab')), ['REF: a ␣ b', 'HYP: a * b', '       D'].join('\n'));
});
