import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildKneserNey, corpusSentences } from '../../../src/decode/lm/kneser-ney.js';
import { lmStep } from '../../../src/decode/lm/language-model.js';
import type { NgramModel } from '../../../src/decode/lm/ngram-model.js';
import { corpusContexts, randomCorpus } from './corpus.js';
import { referenceKneserNey } from './kn-reference.js';

/** Sum over the vocabulary (without <s>) of P(w | context). */
function totalProb(model: NgramModel, context: string[]): number {
  const state = model.stateOf(context.map((w) => model.id(w)));
  const out = lmStep();
  let sum = 0;
  model.vocabulary.forEach((w, id) => {
    if (w !== '<s>') sum += Math.exp(model.score(state, id, out).logProb);
  });
  return sum;
}

function lnProb(model: NgramModel, context: readonly string[], word: string): number {
  return model.score(model.stateOf(context.map((w) => model.id(w))), model.id(word), lmStep()).logProb;
}

test('hand-computed modified Kneser-Ney bigram (fixed discounts 0.5, 1, 1.5)', () => {
  // Sentences <s> a b </s> (twice) and <s> b a </s>. Vocabulary without <s>: <unk> </s> a b.
  // Unigram continuation counts: a 2 (after <s>, b), b 2 (after a, <s>), </s> 2 (after b, a).
  // Order 1: total 6, mass 3 * D2 = 3, gamma 1/2: P(a) = (2 - 1)/6 + 1/2 * 1/4 = 7/24, P(<unk>) = 1/8.
  // Order 2 (raw counts): context <s> has a:2, b:1, total 3, mass D2 + D1 = 1.5, gamma 1/2:
  // P(a|<s>) = 1/3 + 1/2 * 7/24 = 23/48, P(b|<s>) = 0.5/3 + 7/48 = 15/48.
  // Context a has b:2, </s>:1, so P(b|a) = 23/48, P(</s>|a) = 15/48, and unseen
  // P(a|a) = bow(a) P(a) = 1/2 * 7/24 = 7/48, P(<unk>|a) = 1/2 * 1/8 = 3/48.
  const fixed: [number, number, number] = [0.5, 1, 1.5];
  const { model } = buildKneserNey(corpusSentences('a b\na b\nb a\n'), { order: 2, discounts: [fixed, fixed] });
  const expect: [string[], string, number][] = [
    [[], 'a', 7 / 24], [[], 'b', 7 / 24], [[], '</s>', 7 / 24], [[], '<unk>', 1 / 8],
    [['<s>'], 'a', 23 / 48], [['<s>'], 'b', 15 / 48], [['a'], 'b', 23 / 48], [['a'], '</s>', 15 / 48],
    [['b'], '</s>', 23 / 48], [['b'], 'a', 15 / 48], [['a'], 'a', 7 / 48], [['a'], '<unk>', 3 / 48],
    [['b'], 'zzz', 3 / 48],
  ];
  for (const [ctx, w, p] of expect) {
    assert.ok(Math.abs(lnProb(model, ctx, w) - Math.log(p)) < 1e-6, `P(${w} | ${ctx.join(' ')}) = ${Math.exp(lnProb(model, ctx, w))}, expected ${p}`);
  }
  assert.equal(model.orders[0]!.log10Prob[model.id('<s>')], -99);
});

test('estimated discounts follow Chen & Goodman from the count-of-counts', () => {
  const sentences = randomCorpus(7, 600, 300);
  const r = buildKneserNey(sentences, { order: 3 });
  assert.deepEqual(r.fallbackOrders, []);
  for (const [d1, d2, d3] of r.discounts) {
    assert.ok(d1 > 0 && d1 < 1 && d2 > 0 && d2 < 2 && d3 > 0 && d3 < 3, `discounts ${d1} ${d2} ${d3}`);
  }
  // The top order uses raw counts: recompute its discounts by hand.
  const counts = new Map<string, number>();
  for (const s of sentences) {
    const t = ['<s>', ...s, '</s>'];
    for (let i = 2; i < t.length; i++) {
      const key = t.slice(i - 2, i + 1).join(' ');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const n = [0, 0, 0, 0, 0];
  for (const c of counts.values()) if (c <= 4) n[c]!++;
  const y = n[1]! / (n[1]! + 2 * n[2]!);
  const expected = [1 - (2 * y * n[2]!) / n[1]!, 2 - (3 * y * n[3]!) / n[2]!, 3 - (4 * y * n[4]!) / n[3]!];
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(r.discounts[2]![i]! - expected[i]!) < 1e-12);
});

test('conditional probabilities sum to 1 for every context seen (with and without pruning)', () => {
  const sentences = randomCorpus(11, 300, 25);
  for (const prune of [undefined, [0, 1, 1], [0, 0, 2]]) {
    const { model } = buildKneserNey(sentences, { order: 3, prune });
    for (const ctx of corpusContexts(sentences, 3)) {
      const s = totalProb(model, ctx);
      assert.ok(Math.abs(s - 1) < 1e-5, `prune ${prune}: sum of P(. | ${ctx.join(' ')}) = ${s}`);
    }
  }
});

test('pruning drops n-grams but keeps the contexts and suffixes that kept n-grams need', () => {
  const sentences = randomCorpus(12, 300, 25);
  const full = buildKneserNey(sentences, { order: 3 }).model;
  const pruned = buildKneserNey(sentences, { order: 3, prune: [0, 1, 1] }).model;
  assert.equal(pruned.count(1), full.count(1));
  assert.ok(pruned.count(2) < full.count(2) && pruned.count(3) < full.count(3));
  assert.throws(() => buildKneserNey(sentences, { order: 3, prune: [1, 1, 1] }), /unigrams cannot be pruned/);
});

test('matches a slow reference implementation on every seen context and every word', () => {
  for (const [seed, order] of [[3, 2], [5, 3], [9, 4]] as const) {
    const sentences = randomCorpus(seed, 250, 20);
    const r = buildKneserNey(sentences, { order });
    const ref = referenceKneserNey(sentences, order, r.discounts);
    for (const ctx of corpusContexts(sentences, order)) {
      for (const w of r.model.vocabulary) {
        if (w === '<s>') continue;
        const got = lnProb(r.model, ctx, w);
        const want = Math.log(ref(ctx, w));
        assert.ok(Math.abs(got - want) < 2e-5, `order ${order}: ln P(${w} | ${ctx.join(' ')}) = ${got}, reference ${want}`);
      }
    }
  }
});

test('small corpora fall back to default discounts and say so', () => {
  const r = buildKneserNey(corpusSentences('a b c\n'), { order: 2 });
  assert.deepEqual(r.fallbackOrders, [1, 2]);
  assert.deepEqual(r.discounts[0], [0.5, 1, 1.5]);
  assert.throws(() => buildKneserNey([['a', '<s>']], { order: 2 }), /sentence 1 contains the reserved token <s>/);
});

test('character-level corpus: characters with a delimiter between words', () => {
  assert.deepEqual([...corpusSentences('ab  c\n\n', 'char')], [['a', 'b', '|', 'c']]);
  const { model } = buildKneserNey(corpusSentences('ab c\nba c\n', 'char'), { order: 3 });
  assert.ok(model.id('|') >= 0);
  for (const ctx of [[], ['a'], ['a', 'b'], ['|']]) assert.ok(Math.abs(totalProb(model, ctx) - 1) < 1e-5);
});
