import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelSet } from '../../src/decode/label-set.js';
import { buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { type SpelledWordTrie, lmWordTrie, spelledWordTrie } from '../../src/decode/word-trie.js';
import { rng } from '../helpers/compare.js';

/** Longest label first at each position, the obvious way. */
function referenceSpell(labels: readonly string[], blank: number, text: string): number[] | null {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    let best = -1;
    labels.forEach((l, id) => {
      if (id !== blank && text.startsWith(l, i) && (best < 0 || l.length > labels[best]!.length)) best = id;
    });
    if (best < 0) return null;
    out.push(best);
    i += labels[best]!.length;
  }
  return out;
}

test('LabelSet.spell agrees with a longest-match reference, one-unit labels and longer ones', () => {
  const next = rng(5);
  const sets = [
    ['-', ' ', "'", ...'abcdefghijklmnopqrstuvwxyz', 'é', 'ж', '日'],
    ['-', ' ', 'a', 'b', 'ab', 'abc', 'c', 'ca'],
  ];
  const alphabet = [...'abcxyz \'-', 'é', 'ж', '日', '語'];
  for (const labels of sets) {
    const set = new LabelSet(labels, 0, ' ');
    for (let trial = 0; trial < 3000; trial++) {
      let text = '';
      const len = Math.floor(next() * 8);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(next() * (next() < 0.8 ? 4 : alphabet.length))]!;
      assert.deepEqual(set.spell(text), referenceSpell(labels, 0, text), `${JSON.stringify(text)} over ${labels.length} labels`);
    }
  }
});

/** Every word and prefix of `probes` walked in both tries: same nodes, words' LM ids and look-aheads. */
function assertSameTries(a: SpelledWordTrie, b: SpelledWordTrie, labels: LabelSet, probes: readonly string[]): void {
  assert.equal(a.trie.size, b.trie.size);
  for (const p of probes) {
    const spelling = labels.spell(p) ?? [];
    let na = 0;
    let nb = 0;
    for (const c of spelling) {
      na = na < 0 ? -1 : a.trie.child(na, c);
      nb = nb < 0 ? -1 : b.trie.child(nb, c);
      assert.equal(na < 0, nb < 0, p);
      if (na < 0) break;
      assert.equal(a.trie.bestBelow(na), b.trie.bestBelow(nb), p);
      const wa = a.trie.word(na);
      const wb = b.trie.word(nb);
      assert.equal(wa < 0 ? -1 : a.lmIds[wa], wb < 0 ? -1 : b.lmIds[wb], p);
    }
  }
}

test("lmWordTrie is spelledWordTrie over the LM's words with their ids", () => {
  const next = rng(9);
  const letters = [...'abcdefg', 'é', '-', 'Q'];
  const words = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => letters[Math.floor(next() * (next() < 0.9 ? 8 : letters.length))]!).join(''));
  const corpus = Array.from({ length: 1500 }, () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => words[Math.floor(next() * words.length)]!));
  const lm = buildKneserNey(corpus, { order: 2 }).model;
  const labels = new LabelSet(['-', ' ', ...'abcdefg', 'é'], 0, ' ');
  const markers = /^<\/?(s|unk)>$/;
  const byStrings = spelledWordTrie(labels, lm.vocabulary.filter((w) => !markers.test(w)), lm);
  const byIds = lmWordTrie(labels, lm);
  assert.deepEqual(byIds.lmIds, byStrings.lmIds);
  assertSameTries(byIds, byStrings, labels, [...lm.vocabulary, ...words.map((w) => w.slice(0, 2)), 'zzz', '']);
});
