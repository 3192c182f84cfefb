import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseArpa } from '../../../src/decode/lm/arpa-reader.js';
import { formatArpa } from '../../../src/decode/lm/arpa-writer.js';
import { buildKneserNey } from '../../../src/decode/lm/kneser-ney.js';
import { lmStep } from '../../../src/decode/lm/language-model.js';
import { rng } from '../../helpers/compare.js';
import { referenceArpa, referenceLog10 } from './arpa-reference.js';

/**
 * Words of every kind the byte-level reader must tell apart: shared prefixes, a word and
 * its prefix, digits, punctuation, accented and non-Latin letters (UTF-8 of 2 and 3 bytes).
 */
function wordList(n: number, next: () => number): string[] {
  const pieces = ['a', 'an', 'ana', 'th', 'the', 'e', 'ed', 's', 'ing', 'x', "'", '-', '1', '42', 'é', 'ü', 'ß', 'ж', '日', '本', '語', '.', 'q'];
  const out = new Set<string>();
  while (out.size < n) {
    let w = '';
    const len = 1 + Math.floor(next() * 5);
    for (let i = 0; i < len; i++) w += pieces[Math.floor(next() * pieces.length)]!;
    out.add(w);
  }
  return [...out];
}

/** A 3-gram ARPA text over `vocab` words (more than the reader's 4096-word cache of recent words). */
function arpaText(seed: number, vocab: number, sentences: number): string {
  const next = rng(seed);
  const words = wordList(vocab, next);
  const corpus: string[][] = [];
  for (let s = 0; s < sentences; s++) {
    const len = 1 + Math.floor(next() * 10);
    corpus.push(Array.from({ length: len }, () => words[Math.floor(words.length * next() ** 2)]!));
  }
  return formatArpa(buildKneserNey(corpus, { order: 3 }).model);
}

test('the ARPA reader scores as a slow reference reader does: plain, gzip, CRLF and mixed blanks, every word kind', () => {
  const text = arpaText(7, 6000, 8000);
  // Carriage returns and runs of blanks take the reader's general line path.
  const messy = text.split('\n').map((l, i) => (i % 3 === 0 ? l.replace(/\t/g, ' \t ') : l) + (i % 2 === 0 ? '\r' : '')).join('\n');
  const ref = referenceArpa(text);
  const vocab = [...ref.vocabulary];
  const next = rng(11);
  const queries: { ctx: string[]; w: string }[] = [];
  for (let q = 0; q < 20000; q++) {
    const pick = (): string => (next() < 0.03 ? 'nowhere-word' : vocab[Math.floor(vocab.length * next() ** 2)]!);
    const ctx = next() < 0.2 ? ['<s>', pick()] : [pick(), pick()];
    queries.push({ ctx: ctx.slice(Math.floor(next() * 3)), w: next() < 0.05 ? '</s>' : pick() });
  }
  // And every listed n-gram, read back through its own context.
  for (const key of ref.prob.keys()) {
    const words = key.split(' ');
    queries.push({ ctx: words.slice(0, -1), w: words[words.length - 1]! });
  }
  const out = lmStep();
  for (const [name, input] of [['plain', text], ['gzip', gzipSync(text)], ['CRLF and blanks', messy]] as const) {
    const lm = parseArpa(input, name);
    assert.deepEqual(new Set(lm.vocabulary), ref.vocabulary, name);
    for (const { ctx, w } of queries) {
      const got = lm.score(lm.stateOf(ctx.map((c) => lm.id(c))), lm.id(w), out).logProb / Math.LN10;
      const want = referenceLog10(ref, ctx, w);
      // The reader keeps float32 log10s (7 significant digits); the reference the file's doubles.
      assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${name}: log10 P(${w} | ${ctx.join(' ')}) = ${got}, reference ${want}`);
    }
  }
});
