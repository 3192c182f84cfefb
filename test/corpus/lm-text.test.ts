/** The speech LM's text: the corpus builder's readers and normaliser, never the held-out Jargon File or a reserved text. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { lmText } from '../../src/corpus/tts/lm-text.js';

test('lmText: fortune sentences normalised as the corpus labels are; reserved texts never read; the Jargon File refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-lm-text-'));
  try {
    writeFileSync(join(dir, 'wisdom'), 'The Early Bird gets the worm, they say.\n%\nNever trust a computer you cannot throw out a window.\n%\n');
    writeFileSync(join(dir, 'bible-kjv'), 'In the beginning was the word and the word was good.\n%\n');
    const { sentences, sources } = lmText({ fortuneDirs: [dir], textSources: [] });
    assert.deepEqual(sentences, ['the early bird gets the worm they say', 'never trust a computer you cannot throw out a window']);
    assert.deepEqual(sources, { fortunes: 2 });
    assert.throws(() => lmText({ fortuneDirs: [dir], textSources: ['wordnet', 'jargon'] }), /Jargon File is the held-out text of the test-speakers split/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
