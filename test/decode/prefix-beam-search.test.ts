import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HotwordGraph, parseHotwords, type HotwordState } from '../../src/decode/hotwords.js';
import { LabelSet } from '../../src/decode/label-set.js';
import { CtcBeamSearchDecoder, type CtcBeamSearchOptions } from '../../src/decode/prefix-beam-search.js';
import { buildKneserNey, corpusSentences } from '../../src/decode/lm/kneser-ney.js';
import { foldWord } from '../../src/decode/lm/fold-word.js';
import { sentenceLogProb, type LanguageModel } from '../../src/decode/lm/language-model.js';
import { labellingLogProbs, peakyFrames, randomLogProbs } from './brute-force.js';
import { referencePrefixBeam } from './reference-beam.js';
import { rng } from '../helpers/compare.js';

const EXHAUSTIVE: CtcBeamSearchOptions = { beamWidth: 100000, tokenMinLogProb: -Infinity, beamThreshold: Infinity };
const LABELS = ['-', 'a', 'b', ' '];

/** Words of a labelling (split at the delimiter, empty words dropped). */
function wordsOf(labels: number[], strings: readonly string[]): string[] {
  return labels.map((c) => strings[c]!).join('').split(' ').filter((w) => w !== '');
}

/** Brute force: the labelling with the highest ln P_ctc + alpha ln P_lm + beta words (lexicon-filtered). */
function bruteBest(lp: Float64Array, T: number, total: (labels: number[]) => number | null): { labels: number[]; score: number } {
  let best = { labels: [] as number[], score: -Infinity };
  for (const { labels, logProb } of labellingLogProbs(lp, T, LABELS.length, 0).values()) {
    const extra = total(labels);
    if (extra === null) continue;
    const s = logProb + extra;
    if (s > best.score) best = { labels, score: s };
  }
  return best;
}

test('a large beam finds the labelling with the highest total probability (brute force, no LM)', () => {
  for (let seed = 1; seed <= 15; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, 4, 2.5);
    const all = [...labellingLogProbs(lp, T, 4, 0).values()].sort((a, b) => b.logProb - a.logProb);
    const dec = new CtcBeamSearchDecoder(LABELS, { ...EXHAUSTIVE, wordDelimiter: '', nBest: 5 });
    const [hyps] = dec.decode(lp, [T, 1, 4]);
    assert.equal(hyps!.length, 5);
    hyps!.forEach((h, i) => {
      assert.deepEqual(h.tokens, all[i]!.labels, `seed ${seed}, rank ${i}`);
      assert.ok(Math.abs(h.score - all[i]!.logProb) < 1e-9);
      assert.equal(h.acousticScore, h.score);
    });
  }
});

test('a large beam with a word LM finds the best ln P_ctc + alpha ln P_lm + beta words + labelBonus labels (brute force)', () => {
  const { model } = buildKneserNey(corpusSentences('a b\nb a b\na a\nab b\n'), { order: 2 });
  for (let seed = 20; seed < 32; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, 4, 2.5);
    const alpha = 0.3 + (seed % 4) * 0.4;
    const beta = -0.5 + (seed % 3) * 0.7;
    const unkScore = -(seed % 5);
    const labelBonus = [0, 1.5, -0.7][seed % 3]!;
    const best = bruteBest(lp, T, (labels) => {
      const words = wordsOf(labels, LABELS);
      const oovs = words.filter((w) => model.id(w) === model.unkId).length;
      return alpha * sentenceLogProb(model, words) + beta * words.length + labelBonus * labels.length + unkScore * oovs;
    });
    const h = new CtcBeamSearchDecoder(LABELS, { ...EXHAUSTIVE, lm: model, alpha, beta, labelBonus, unkScore }).decode(lp, [T, 1, 4])[0]![0]!;
    assert.ok(Math.abs(h.score - best.score) < 1e-9, `seed ${seed}: ${h.score} vs ${best.score}`);
    assert.deepEqual(wordsOf(h.tokens, LABELS), wordsOf(best.labels, LABELS));
    const words = wordsOf(h.tokens, LABELS);
    const oovs = words.filter((w) => model.id(w) === model.unkId).length;
    assert.ok(Math.abs(h.score - (h.acousticScore + alpha * h.lmScore + beta * words.length + labelBonus * h.tokens.length + unkScore * oovs)) < 1e-9);
  }
});

test('a large beam with a character LM finds the best total score, a bonus per label included (brute force)', () => {
  const { model } = buildKneserNey(corpusSentences('a b\nb a b\na a\nab b\n', 'char'), { order: 3 });
  for (let seed = 40; seed < 52; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, 4, 2.5);
    const alpha = 0.8;
    const beta = 0.4;
    const labelBonus = [0, 1, 2.5, -1][seed % 4]!;
    const best = bruteBest(lp, T, (labels) => {
      const chars = labels.map((c) => (LABELS[c] === ' ' ? '|' : LABELS[c]!));
      return alpha * sentenceLogProb(model, chars) + beta * wordsOf(labels, LABELS).length + labelBonus * labels.length;
    });
    const [h] = new CtcBeamSearchDecoder(LABELS, { ...EXHAUSTIVE, lm: model, lmUnit: 'char', alpha, beta, labelBonus }).decode(lp, [T, 1, 4])[0]!;
    assert.ok(Math.abs(h!.score - best.score) < 1e-9, `seed ${seed}: ${h!.score} vs ${best.score}`);
    assert.deepEqual(h!.tokens, best.labels);
  }
});

test('a character LM with a folded word LM beside it: a large beam finds the best total score (brute force)', () => {
  // Capitals and a comma, so that folding matters: "B," is the word LM's "b"; "," alone is no word to it.
  const labels = ['-', 'a', 'B', ',', ' '];
  const chars = buildKneserNey(corpusSentences('a B\nB, a B\na a\naB B,\n', 'char'), { order: 3 }).model;
  const words = buildKneserNey(corpusSentences('a b\nb a b\nab b\n', 'word', '|', true), { order: 2 }).model;
  for (let seed = 60; seed < 72; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, labels.length, 2.5);
    const [alpha, beta, labelBonus] = [0.7, 0.3, [0, 1.5, -0.5][seed % 3]!];
    const wordLmAlpha = [0.2, 0.6, 1.1][seed % 3]!;
    const unkScore = -(seed % 4);
    let best = { labels: [] as number[], score: -Infinity };
    for (const { labels: l, logProb } of labellingLogProbs(lp, T, labels.length, 0).values()) {
      const text = l.map((c) => labels[c]!).join('');
      const ws = text.split(' ').filter((w) => w !== '');
      const folded = ws.map(foldWord).filter((w) => w !== '');
      const oovs = folded.filter((w) => words.id(w) === words.unkId).length;
      const score = logProb + alpha * sentenceLogProb(chars, [...text].map((ch) => (ch === ' ' ? '|' : ch)))
        + wordLmAlpha * sentenceLogProb(words, folded) + beta * ws.length + labelBonus * l.length + unkScore * oovs;
      if (score > best.score) best = { labels: l, score };
    }
    const dec = new CtcBeamSearchDecoder(labels, { ...EXHAUSTIVE, lm: chars, lmUnit: 'char', wordLm: words, wordLmFolded: true, wordLmAlpha, alpha, beta, labelBonus, unkScore });
    const [h] = dec.decode(lp, [T, 1, labels.length])[0]!;
    assert.ok(Math.abs(h!.score - best.score) < 1e-9, `seed ${seed}: ${h!.score} vs ${best.score}`);
    assert.deepEqual(h!.tokens, best.labels, `seed ${seed}`);
  }
  assert.throws(() => new CtcBeamSearchDecoder(labels, { wordLm: words }), /wordLm goes beside a character LM/);
  assert.throws(() => new CtcBeamSearchDecoder(labels, { lm: words, wordLm: words }), /wordLm goes beside a character LM/);
});

test('a lexicon restricts the words; the best allowed labelling wins (brute force)', () => {
  const lexicon = ['ab', 'b'];
  for (let seed = 60; seed < 70; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, 4, 2.5);
    const best = bruteBest(lp, T, (labels) => (wordsOf(labels, LABELS).every((w) => lexicon.includes(w)) ? 0 : null));
    const [h] = new CtcBeamSearchDecoder(LABELS, { ...EXHAUSTIVE, lexicon }).decode(lp, [T, 1, 4])[0]!;
    assert.ok(Math.abs(h!.score - best.score) < 1e-9, `seed ${seed}`);
    assert.deepEqual(wordsOf(h!.tokens, LABELS), wordsOf(best.labels, LABELS));
  }
});

test('a lexicon with a word LM: lexicon words only, scored by the LM (words it lacks as unknown)', () => {
  const { model } = buildKneserNey(corpusSentences('a b\nb a b\na a\n'), { order: 2 });
  const lexicon = ['a', 'b', 'ab'];
  for (let seed = 70; seed < 78; seed++) {
    const T = 5;
    const lp = randomLogProbs(seed, T, 4, 2.5);
    const best = bruteBest(lp, T, (labels) => {
      const words = wordsOf(labels, LABELS);
      if (!words.every((w) => lexicon.includes(w))) return null;
      const oovs = words.filter((w) => model.id(w) === model.unkId).length;
      return 0.6 * sentenceLogProb(model, words) + 0.5 * words.length - 2 * oovs;
    });
    const [h] = new CtcBeamSearchDecoder(LABELS, { ...EXHAUSTIVE, lexicon, lm: model, alpha: 0.6, beta: 0.5, unkScore: -2 }).decode(lp, [T, 1, 4])[0]!;
    assert.ok(Math.abs(h!.score - best.score) < 1e-9, `seed ${seed}`);
    assert.deepEqual(wordsOf(h!.tokens, LABELS), wordsOf(best.labels, LABELS));
  }
});

test('alpha 0 (beta 0, unkScore 0) with an LM equals plain prefix beam search, which matches a textbook reference', () => {
  const labels = ['-', ' ', 'a', 'b', 'c', 'd'];
  const { model } = buildKneserNey(corpusSentences('ab cd\nba dc a\nabc d\n'), { order: 3 });
  for (let seed = 80; seed < 90; seed++) {
    const T = 30;
    const lp = randomLogProbs(seed, T, labels.length, 3);
    const opts: CtcBeamSearchOptions = { beamWidth: 6, tokenMinLogProb: -Infinity, beamThreshold: Infinity, nBest: 6 };
    const plain = new CtcBeamSearchDecoder(labels, { ...opts, wordDelimiter: '' }).decode(lp, [T, 1, labels.length])[0]!;
    const withLm = new CtcBeamSearchDecoder(labels, { ...opts, wordDelimiter: '', lm: model, lmUnit: 'char', alpha: 0, beta: 0 }).decode(lp, [T, 1, labels.length])[0]!;
    const ref = referencePrefixBeam(lp, T, labels.length, 0, 6);
    assert.deepEqual(withLm.map((h) => [h.tokens, h.score]), plain.map((h) => [h.tokens, h.score]));
    assert.equal(plain.length, ref.length);
    plain.forEach((h, i) => {
      assert.deepEqual(h.tokens, ref[i]!.labels, `seed ${seed}, rank ${i}`);
      assert.ok(Math.abs(h.score - ref[i]!.logProb) < 1e-9);
    });
    const wordLm = new CtcBeamSearchDecoder(labels, { ...opts, lm: model, alpha: 0, beta: 0, unkScore: 0 }).decode(lp, [T, 1, labels.length])[0]!;
    assert.deepEqual(wordLm[0]!.tokens, plain[0]!.tokens);
  }
});

test('a bonus per label: the early skip of hopeless extensions keeps exactly the result of a search without it', () => {
  // A negative alpha turns the skip off (no bound is known); -1e-15 leaves the LM's part nil.
  const labels = ['-', ' ', 'a', 'b', 'c', 'd'];
  const { model } = buildKneserNey(corpusSentences('ab cd\nba dc a\nabc d\n', 'char'), { order: 3 });
  for (let seed = 90; seed < 100; seed++) {
    const T = 30;
    const lp = randomLogProbs(seed, T, labels.length, 3);
    const labelBonus = 1 + (seed % 3);
    const opts: CtcBeamSearchOptions = { beamWidth: 4, beamThreshold: 8, nBest: 4, lm: model, lmUnit: 'char', beta: 0, labelBonus };
    const skipping = new CtcBeamSearchDecoder(labels, { ...opts, alpha: 0 }).decode(lp, [T, 1, labels.length])[0]!;
    const full = new CtcBeamSearchDecoder(labels, { ...opts, alpha: -1e-15 }).decode(lp, [T, 1, labels.length])[0]!;
    assert.equal(skipping.length, full.length, `seed ${seed}`);
    skipping.forEach((h, i) => {
      assert.deepEqual(h.tokens, full[i]!.tokens, `seed ${seed}, rank ${i}`);
      assert.ok(Math.abs(h.score - full[i]!.score) < 1e-9);
      assert.ok(Math.abs(h.score - (h.acousticScore + labelBonus * h.tokens.length)) < 1e-9);
    });
  }
});

test('a hotword turns a near-miss into the boosted word', () => {
  const labels = ['-', ' ', 'c', 'a', 'o', 't', 's'];
  const C = labels.length;
  // "c", then 'o' (0.55) against 'a' (0.4), then "t": the acoustics prefer "cot".
  const x = peakyFrames('-cc-o-tt-', labels, 0.95);
  const t = 4;
  for (let c = 0; c < C; c++) x[t * C + c] = Math.log(0.05 / (C - 2));
  x[t * C + labels.indexOf('o')] = Math.log(0.55);
  x[t * C + labels.indexOf('a')] = Math.log(0.4);
  const decode = (o: CtcBeamSearchOptions): string => new CtcBeamSearchDecoder(labels, o).decode(x, [9, 1, C])[0]![0]!.text!;
  assert.equal(decode({}), 'cot');
  assert.equal(decode({ hotwords: ['cat'] }), 'cat');
  assert.equal(decode({ hotwords: [{ phrase: 'cat', weight: 0.1 }] }), 'cot'); // too small a boost
  assert.equal(decode({ hotwords: [{ phrase: 'cats', weight: 2 }] }), 'cot'); // no credit for an unfinished hotword
  // Far from the hotword: a clear "cot" stays.
  x[t * C + labels.indexOf('o')] = Math.log(0.94);
  x[t * C + labels.indexOf('a')] = Math.log(1e-4);
  assert.equal(decode({ hotwords: [{ phrase: 'cat', weight: 3 }] }), 'cot');
});

test('a multi-word hotword phrase is boosted only as a whole', () => {
  const labels = ['-', ' ', 'a', 'b', 'o'];
  const C = labels.length;
  const x = peakyFrames('-a-b- -o-b-', labels, 0.9);
  // Frame 7 ('o' of the second word): 'o' 0.5 against 'a' 0.45.
  for (let c = 0; c < C; c++) x[7 * C + c] = Math.log(0.05 / (C - 2));
  x[7 * C + labels.indexOf('o')] = Math.log(0.5);
  x[7 * C + labels.indexOf('a')] = Math.log(0.45);
  const decode = (o: CtcBeamSearchOptions): string => new CtcBeamSearchDecoder(labels, o).decode(x, [11, 1, C])[0]![0]!.text!;
  assert.equal(decode({}), 'ab ob');
  assert.equal(decode({ hotwords: [{ phrase: 'ab ab', weight: 2 }] }), 'ab ab');
  assert.equal(decode({ hotwords: [{ phrase: 'ab ab ab', weight: 2 }] }), 'ab ob');
});

test('timestamps and word frames land on the right frames', () => {
  const labels = ['-', ' ', 'c', 'a', 't', 's', 'o'];
  //            frame: 0123456789012345678
  const frames = '-cc-a-tt- -s-oo-o--';
  const x = peakyFrames(frames, labels, 0.9);
  const [h] = new CtcBeamSearchDecoder(labels).decode(x, [frames.length, 1, labels.length])[0]!;
  assert.equal(h!.text, 'cat soo');
  assert.deepEqual(h!.timesteps, [1, 4, 6, 9, 11, 13, 16]);
  assert.deepEqual(h!.words!.map((w) => [w.word, w.startFrame, w.endFrame]), [['cat', 1, 7], ['soo', 11, 16]]);
  for (const w of h!.words!) assert.ok(Math.abs(w.confidence! - 0.9) < 1e-6);
  // Labels without a word delimiter: one text, no words split.
  const [g] = new CtcBeamSearchDecoder(labels, { wordDelimiter: '' }).decode(x, [frames.length, 1, labels.length])[0]!;
  assert.equal(g!.text, 'cat soo');
});

test('streaming in chunks, and with the prefix tree compacted, gives exactly the one-shot result', () => {
  const labels = ['-', ' ', 'a', 'b', 'c', 'd', 'e'];
  const { model } = buildKneserNey(corpusSentences('ab cd e\nba dc a\nabc d\nde ed ab\n'), { order: 3 });
  const chars = buildKneserNey(corpusSentences('ab cd e\nba dc a\nabc d\nde ed ab\n', 'char'), { order: 3 }).model;
  const C = labels.length;
  for (const [seed, extra] of [[101, {}], [102, { lm: model, alpha: 0.7, beta: 0.5, hotwords: ['ab cd'] }],
    [103, { lm: model, lmUnit: 'char' as const }], [104, { lexicon: ['ab', 'cd', 'e', 'a'] }],
    [105, { lm: chars, lmUnit: 'char' as const, wordLm: model, wordLmAlpha: 0.5 }]] as const) {
    const T = 80;
    const lp = randomLogProbs(seed, T, C, 4);
    const dec = new CtcBeamSearchDecoder(labels, { beamWidth: 8, nBest: 4, ...extra });
    const oneShot = dec.decode(lp, [T, 1, C])[0]!;
    const next = rng(seed);
    const s = dec.begin();
    for (let t = 0; t < T;) {
      const n = Math.min(T - t, Math.floor(next() * 9));
      s.step(lp.subarray(t * C, (t + n) * C));
      t += n;
      if (n > 0) assert.equal(typeof s.best().score, 'number');
    }
    assert.equal(s.frames, T);
    assert.deepEqual(s.end(), oneShot);
    assert.throws(() => s.step(lp.subarray(0, C)), /step after end/);
    // Compacting the prefix tree (as an endless stream does) changes nothing either.
    const small = dec.begin();
    small.compactAbove = 40;
    small.step(lp);
    assert.deepEqual(small.end(), oneShot);
  }
});

test('batches with lengths decode each sequence on its own frames', () => {
  const labels = ['-', ' ', 'a', 'b'];
  const T = 12;
  const B = 3;
  const C = 4;
  const seqs = [0, 1, 2].map((b) => randomLogProbs(200 + b, T, C, 3));
  const batch = new Float32Array(T * B * C);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) batch[(t * B + b) * C + c] = seqs[b]![t * C + c]!;
  const lengths = [12, 7, 0];
  const dec = new CtcBeamSearchDecoder(labels, { beamWidth: 4 });
  const out = dec.decode(batch, [T, B, C], lengths);
  for (let b = 0; b < B; b++) {
    const single = dec.decode(Float32Array.from(seqs[b]!.subarray(0, lengths[b]! * C)), [lengths[b]!, 1, C]);
    assert.deepEqual(out[b], single[0]);
  }
  assert.deepEqual(out[2]![0]!.tokens, []);
  assert.equal(out[2]![0]!.score, 0);
});

test('per-frame token pruning: labels below tokenMinLogProb, outside the top k or the cumulative mass never extend a prefix', () => {
  const labels = ['-', 'a', 'b'];
  const p = (blank: number, a: number, b: number): number[] => [Math.log(blank), Math.log(a), Math.log(b)];
  const x = new Float64Array([...p(0.1, 0.8, 0.1), ...p(0.6, 0.25, 0.15), ...p(0.05, 0.9, 0.05)]);
  const dec = (o: CtcBeamSearchOptions): number[][] => new CtcBeamSearchDecoder(labels, { wordDelimiter: '', nBest: 10, ...o }).decode(x, [3, 1, 3])[0]!.map((h) => h.tokens);
  assert.ok(dec({ tokenMinLogProb: -Infinity }).some((t) => t.includes(2)));
  for (const o of [{ tokenMinLogProb: Math.log(0.3) }, { tokenTopK: 1 }, { tokenCumulativeProb: 0.85 }]) {
    const hyps = dec(o);
    assert.ok(hyps.length > 0);
    for (const t of hyps) assert.ok(!t.includes(2), JSON.stringify(o));
  }
});

test('bad input is rejected with what and where', () => {
  const labels = ['-', 'a', 'b'];
  const dec = new CtcBeamSearchDecoder(labels);
  assert.throws(() => dec.decode(new Float32Array(6), [2, 1, 4]), /needs 8/);
  assert.throws(() => dec.decode(new Float32Array(8), [2, 1, 4]), /4 classes but 3 labels/);
  assert.throws(() => dec.decode(new Float32Array(6), [2, 1, 3], [3]), /sequence 0: length 3/);
  const nan = new Float32Array(12);
  nan[4] = NaN; // t 0, b 1, c 1
  assert.throws(() => dec.decode(nan, [2, 2, 3]), /sequence 1: frame 0 holds NaN/);
  assert.throws(() => new CtcBeamSearchDecoder(['-', 'a', 'a']), /"a" appears twice/);
  assert.throws(() => new CtcBeamSearchDecoder(labels, { beamWidth: 0 }), /beamWidth/);
  const lm = {} as LanguageModel;
  assert.throws(() => new CtcBeamSearchDecoder(labels, { lm }), /needs a word delimiter/);
  assert.throws(() => new CtcBeamSearchDecoder(labels, { hotwords: ['xyz'] }), /cannot be spelled/);
});

test('hotword files: a phrase per line with an optional weight', () => {
  assert.deepEqual(parseHotwords('# boost these\nsayre\nnew york\t6\n\ncat: 2.5\n'), [
    { phrase: 'sayre' }, { phrase: 'new york', weight: 6 }, { phrase: 'cat', weight: 2.5 },
  ]);
});

test('hotword bonuses along a path: partial credit, taken back on a break, longer phrases replace shorter ones', () => {
  const labels = new LabelSet(['-', ' ', 'a', 'b', 'c']);
  const walk = (g: HotwordGraph, text: string): number[] => {
    const s: HotwordState = { node: 0, before: 0, committed: 0, base: 0 };
    const out: number[] = [];
    for (const id of labels.spell(text)!) {
      g.advance(s, id);
      out.push(g.bonus(s));
    }
    g.finish(s);
    out.push(g.bonus(s));
    return out;
  };
  const g = new HotwordGraph([{ phrase: 'ab', weight: 4 }, { phrase: 'ab ab', weight: 10 }], labels, 1);
  // gain('a') = max(4 * 1/2, 10 * 1/5) = 2; 'ab' commits 4 at the delimiter; 'ab ab' reaches 10.
  assert.deepEqual(walk(g, 'ab ab'), [2, 4, 6, 8, 10, 10]);
  assert.deepEqual(walk(g, 'ab ac'), [2, 4, 6, 8, 4, 4]);
  assert.deepEqual(walk(g, 'abc'), [2, 4, 0, 0]);
  const h = new HotwordGraph([{ phrase: 'ab', weight: 10 }, { phrase: 'ab c', weight: 1 }], labels, 1);
  assert.deepEqual(walk(h, 'ab c'), [5, 10, 10, 10, 10]);
});
