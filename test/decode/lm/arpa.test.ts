import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseArpa, readArpa } from '../../../src/decode/lm/arpa-reader.js';
import { formatArpa, writeArpa } from '../../../src/decode/lm/arpa-writer.js';
import { buildKneserNey } from '../../../src/decode/lm/kneser-ney.js';
import { lmStep, sentenceLogProb } from '../../../src/decode/lm/language-model.js';
import type { NgramModel } from '../../../src/decode/lm/ngram-model.js';
import { corpusContexts, randomCorpus } from './corpus.js';

// A KenLM-style file: <unk> with probability, <s> at -99, back-offs, a comment before \data\.
const KENLM = `This is a comment line before the header.
\\data\\
ngram 1=5
ngram 2=3
ngram 3=1

\\1-grams:
-1.0\t<unk>\t0
-99\t<s>\t-0.5
-0.7\t</s>\t0
-0.6\ta\t-0.3
-0.8\tb\t-0.2

\\2-grams:
-0.2\t<s> a\t-0.1
-0.4\ta b\t-0.25
-0.3\tb </s>

\\3-grams:
-0.05\t<s> a b

\\end\\
`;

const log10 = (model: NgramModel, ctx: string[], w: string): number =>
  model.score(model.stateOf(ctx.map((x) => model.id(x))), model.id(w), lmStep()).logProb / Math.LN10;

test('back-off scoring of a KenLM-style ARPA file', () => {
  const m = parseArpa(KENLM);
  assert.equal(m.order, 3);
  assert.equal(m.size, 9);
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
  close(log10(m, ['<s>'], 'a'), -0.2);
  close(log10(m, ['<s>', 'a'], 'b'), -0.05);
  close(log10(m, ['a', 'b'], '</s>'), -0.25 - 0.3); // bow(a b) + P(</s> | b)
  close(log10(m, ['b'], 'b'), -0.2 - 0.8); // bow(b) + P(b)
  close(log10(m, ['<s>', 'a'], 'a'), -0.1 - 0.3 - 0.6); // bow(<s> a) + bow(a) + P(a)
  close(log10(m, [], 'zzz'), -1.0); // unknown words score as <unk>
  close(sentenceLogProb(m, ['a', 'b']) / Math.LN10, -0.2 - 0.05 - 0.55);
  close(m.unigram(m.id('b')) / Math.LN10, -0.8);
});

test('reads gzip-compressed ARPA files, detected from the bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-arpa-'));
  try {
    const path = join(dir, 'lm.arpa.gz');
    writeFileSync(path, gzipSync(KENLM));
    const m = readArpa(path);
    assert.equal(m.count(2), 3);
    assert.ok(Math.abs(log10(m, ['<s>'], 'a') + 0.2) < 1e-6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ARPA file written by the builder and read back scores identically', () => {
  const sentences = randomCorpus(21, 300, 30);
  const built = buildKneserNey(sentences, { order: 3, prune: [0, 0, 1] }).model;
  const dir = mkdtempSync(join(tmpdir(), 'sayre-arpa-'));
  try {
    const path = join(dir, 'lm.arpa');
    writeArpa(built, path);
    const text = readFileSync(path, 'utf8');
    assert.equal(text, formatArpa(built));
    for (const read of [readArpa(path), parseArpa(gzipSync(text))]) {
      assert.deepEqual(read.vocabulary, built.vocabulary);
      for (let k = 1; k <= 3; k++) assert.equal(read.count(k), built.count(k));
      const a = lmStep();
      const b = lmStep();
      for (const ctx of corpusContexts(sentences, 3)) {
        const sb = built.stateOf(ctx.map((w) => built.id(w)));
        const sr = read.stateOf(ctx.map((w) => read.id(w)));
        for (let id = 0; id < built.vocabulary.length; id++) {
          built.score(sb, id, a);
          read.score(sr, id, b);
          assert.equal(b.logProb, a.logProb);
          assert.equal(read.finish(b.state), built.finish(a.state));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed ARPA files give errors with line numbers', () => {
  const lines = KENLM.split('\n');
  const edit = (lineNo: number, replacement: string | null): string => {
    const l = lines.slice();
    if (replacement === null) l.splice(lineNo - 1, 1);
    else l[lineNo - 1] = replacement;
    return l.join('\n');
  };
  const cases: [string, RegExp][] = [
    ['no header here\n', /ARPA line 1: no \\data\\ header/],
    [edit(3, 'ngram one=5'), /ARPA line 3: expected "ngram N=COUNT"/],
    [edit(10, '-0.7\t</s>\t0\textra'), /ARPA line 10: a 1-gram line needs/],
    [edit(11, 'abc\ta\t-0.3'), /ARPA line 11: "abc" is not a number/],
    [edit(12, '0.5\tb\t-0.2'), /ARPA line 12: log10 probability 0.5 is positive/],
    [edit(15, '-0.2\t<s> q\t-0.1'), /ARPA line 15: word "q" is not among the unigrams/],
    [edit(20, '-0.05\tb a b'), /ARPA line 20: the context "b a" of this 3-gram is not among the 2-grams/],
    [edit(16, '-0.2\t<s> a\t-0.1'), /ARPA line 16: duplicate 2-gram "<s> a"/],
    [edit(17, null), /ARPA line 17: \\2-grams: found 2 entries, \\data\\ declared 3/],
    [edit(19, '\\4-grams:'), /ARPA line 19: expected \\3-grams:, found "\\4-grams:"/],
    [KENLM.replace('\\end\\\n', ''), /ARPA line 21: missing \\end\\/],
  ];
  for (const [text, re] of cases) assert.throws(() => parseArpa(text), re);
  const dir = mkdtempSync(join(tmpdir(), 'sayre-arpa-'));
  try {
    const path = join(dir, 'bad.arpa');
    writeFileSync(path, edit(11, 'abc\ta\t-0.3'));
    assert.throws(() => readArpa(path), (e: Error) => e.message.startsWith(`${path}: ARPA line 11:`));
    assert.throws(() => readArpa(join(dir, 'missing.arpa')), /cannot read ARPA file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
