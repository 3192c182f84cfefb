import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldWord, isFoldedLm } from '../../../src/decode/lm/fold-word.js';
import { buildKneserNey, corpusSentences } from '../../../src/decode/lm/kneser-ney.js';

test('foldWord: lower case, edge punctuation gone, inner punctuation and digits kept, punctuation alone folds to nothing', () => {
  const cases: [string, string][] = [
    ['Hello,', 'hello'], ['"Are', 'are'], ["don't", "don't"], ['(e-mail)', 'e-mail'], ['1990s.', '1990s'],
    ['ÉCOLE!', 'école'], ['-', ''], ['&', ''], ['...', ''], ['plain', 'plain'],
  ];
  for (const [word, folded] of cases) assert.equal(foldWord(word), folded, word);
});

test('a word LM built with fold knows words folded, is told apart from one built without, and drops tokens that fold to nothing', () => {
  const text = 'The cat, the Dog.\n"Cats" - dogs!\n';
  assert.deepEqual([...corpusSentences(text, 'word', '|', true)], [['the', 'cat', 'the', 'dog'], ['cats', 'dogs']]);
  assert.deepEqual([...corpusSentences(text, 'word')][1], ['"Cats"', '-', 'dogs!']);
  const folded = buildKneserNey(corpusSentences(text, 'word', '|', true), { order: 2 }).model;
  const raw = buildKneserNey(corpusSentences(text, 'word'), { order: 2 }).model;
  assert.equal(isFoldedLm(folded), true);
  assert.equal(isFoldedLm(raw), false);
  assert.notEqual(folded.id('cat'), folded.unkId);
  assert.equal(folded.id('cat,'), folded.unkId);
});
