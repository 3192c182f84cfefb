import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusText } from '../../src/corpus/tts/corpus-text.js';
import { haveTextSource, readTextSource, withUnseenWords } from '../../src/corpus/tts/text-sources.js';

test('text sources: Jargon File, WordNet and GCIDE entries become clean, normalised sentences', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-text-'));
  try {
    const jargon = join(dir, 'jargon.dict.dz');
    writeFileSync(jargon, gzipSync([
      'adger', ' /aj\'r/, vt.', '', '    [UCLA mutant of {nadger}] To make a bonehead move with consequences that', '    could have been foreseen. He removed 42 files before lunch.', '',
      'Acme', ' n.', '', '    The canonical supplier of bizarre gadgetry. See the IBM manual.', '',
    ].join('\n')));
    assert.deepEqual(readTextSource('jargon', { files: [jargon] }).map((s) => s.text), [
      'to make a bonehead move with consequences that could have been foreseen', 'he removed forty two files before lunch',
      'the canonical supplier of bizarre gadgetry',
    ]);
    const wordnet = join(dir, 'data.noun');
    writeFileSync(wordnet, [
      '  1 This software and database is being provided to you, the LICENSEE',
      '00401639 04 n 01 rejuvenation 0 003 @ 00268557 n 0000 | the act of restoring to a more youthful condition  ',
      '00402308 04 n 02 transfiguration 2 002 @ 00399393 n 0000 | a striking change in appearance; "the metamorphosis of the old house into something new"  ',
    ].join('\n'));
    assert.deepEqual(readTextSource('wordnet', { files: [wordnet] }).map((s) => s.text), [
      'the act of restoring to a more youthful condition', 'a striking change in appearance', 'the metamorphosis of the old house into something new',
    ]);
    const gcide = join(dir, 'gcide.dict.dz');
    writeFileSync(gcide, gzipSync([
      'Abjure \\Ab*jure"\\, v. t. [L. abjurare to deny upon oath]',
      '   1. To renounce upon oath; to forswear; to disavow; as, to',
      '      abjure allegiance to a prince. --Shak.',
      '      [1913 Webster]',
      '',
    ].join('\n')));
    const g = readTextSource('gcide', { files: [gcide] });
    assert.deepEqual(g.map((s) => s.text), ['to renounce upon oath to forswear to disavow as to abjure allegiance to a prince']);
    assert.ok(g.every((s) => s.source === 'gcide'));
    assert.throws(() => readTextSource('gcide', { files: [join(dir, 'none.dz')] }), /none\.dz: not found \(apt-get install dict-gcide\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seen = [{ text: 'the cat sat', original: '', source: 'a' }];
  const held = [{ text: 'the cat sat', original: '', source: 'b' }, { text: 'the gnu sat', original: '', source: 'b' }];
  assert.deepEqual(withUnseenWords(held, seen).map((s) => s.text), ['the gnu sat']);
});

const allText = haveTextSource('jargon') && haveTextSource('wordnet') && haveTextSource('gcide') && existsSync('/usr/share/games/fortunes');
test('corpus text from the installed packages: sources capped, the held-out source kept apart with unseen words', { skip: allText ? false : 'dict-jargon, wordnet-base, dict-gcide or fortunes is not installed' }, () => {
  const t = corpusText({ maxPerSource: 2000 });
  const by = (source: string): number => t.sentences.filter((s) => s.source === source).length;
  assert.ok(by('wordnet') > 1500 && by('wordnet') <= 2000 && by('gcide') > 1500 && by('gcide') <= 2000);
  assert.equal(by('jargon'), 0);
  assert.ok(t.heldOutText.length > 1000 && t.heldOutText.every((s) => s.source === 'jargon'));
  const vocabulary = new Set(t.sentences.flatMap((s) => s.text.split(' ')));
  for (const s of t.heldOutText) assert.ok(s.text.split(' ').some((w) => !vocabulary.has(w)), s.text);
  for (const s of [...t.sentences, ...t.heldOutText]) assert.match(s.text, /^[a-z' ]+$/);
  assert.throws(() => corpusText({ textSources: ['jargon'] }), /both spoken in training and held out/);
});
