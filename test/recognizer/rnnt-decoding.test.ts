import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readWav } from '../../src/audio/wav-read.js';
import { decoderFromFlags } from '../../src/cli/commands/decoder-flags.js';
import { parseArpa } from '../../src/decode/lm/arpa-reader.js';
import { lmStep, sentenceLogProb } from '../../src/decode/lm/language-model.js';
import { TransducerWordScorer, wordFusion } from '../../src/decode/rnnt-word-fusion.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { transducerDecodeNBest } from '../../src/decode/rnnt-decode.js';
import { decoderFor } from '../../src/recognizer/beam-decoder.js';
import type { Decoder } from '../../src/decode/decoder.js';
import type { TransducerOutput } from '../../src/decode/acoustic-output.js';
import { tokenizerLabels } from '../../src/data/char-tokenizer.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { makeTinyRnntModelDir, SAMPLES } from '../helpers/tiny-rnnt-model.js';

/** A word bigram over "a", "ab", "b" (ln-probabilities come from these log10 values). */
const ARPA = `\\data\\
ngram 1=6
ngram 2=4

\\1-grams:
-1.0\t</s>
-99\t<s>\t-0.3
-0.6\ta\t-0.2
-0.9\tab\t-0.25
-0.8\tb\t-0.1
-1.5\t<unk>

\\2-grams:
-0.2\t<s> a
-0.4\ta b
-0.3\tab </s>
-0.5\tb a

\\end\\
`;

const lm = parseArpa(ARPA);
const audio = ['hello.wav', 'call.wav', 'fox.wav', 'weather.wav'].map((f) => readWav(new URL(f, SAMPLES).pathname));

describe('RNN-T decoding through the Recognizer', () => {
  const rec = Recognizer.load(makeTinyRnntModelDir());
  const model = rec.loaded.model as RnntModel;
  const labels = tokenizerLabels(rec.loaded.tokenizer);

  it('beam search never scores below greedy decoding under the same symbols-per-frame rule', () => {
    for (const a of audio) {
      const score = (options: Parameters<Recognizer['transcribe']>[2]): number => rec.transcribe(a.samples, a.sampleRate, options).score;
      const greedy1 = score({ decoder: rec.decoder({ search: 'greedy', maxSymbolsPerFrame: 1 }) });
      const modified = score({ decoder: rec.decoder({ beamWidth: 16 }) });
      assert.ok(modified >= greedy1 - 1e-9, `modified ${modified} < greedy ${greedy1}`);
      const greedy = score({});
      const graves = score({ decoder: rec.decoder({ beamWidth: 16, rnntSearch: 'graves' }) });
      assert.ok(graves >= greedy - 1e-9, `graves ${graves} < greedy ${greedy}`);
    }
  });

  it('word-LM fusion with alpha 0 (and no bonuses) decodes as without an LM', () => {
    const fusion = wordFusion(labels, { lm, alpha: 0, beta: 0, unkScore: 0 });
    for (const method of ['modified-beam', 'beam'] as const) {
      for (const a of audio.slice(0, 2)) {
        const f = rec.features(a.samples, a.sampleRate);
        const [enc] = model.encode(f.data, [f.frames, 1, f.dim], [f.frames]);
        assert.deepEqual(transducerDecodeNBest(model, enc!, { method, beam: 4, nBest: 3, lm: fusion }), transducerDecodeNBest(model, enc!, { method, beam: 4, nBest: 3 }));
      }
    }
  });

  it('returns n-best lists best first, and a weighted LM changes the ranking', () => {
    const a = audio[0]!;
    const f = rec.features(a.samples, a.sampleRate);
    const [enc] = model.encode(f.data, [f.frames, 1, f.dim], [f.frames]);
    const nbest = transducerDecodeNBest(model, enc!, { method: 'modified-beam', beam: 6, nBest: 4 });
    assert.equal(nbest.length, 4);
    for (let i = 1; i < nbest.length; i++) assert.ok(nbest[i - 1]!.score >= nbest[i]!.score);
    assert.equal(new Set(nbest.map((h) => h.tokens.join(','))).size, 4);
    const fused = transducerDecodeNBest(model, enc!, { method: 'modified-beam', beam: 6, lm: wordFusion(labels, { lm, alpha: 2, beta: 0 }) });
    assert.notDeepEqual(fused[0]!.tokens, nbest[0]!.tokens);
  });

  it('gives the n-best texts as alternatives', () => {
    const a = audio[1]!;
    const t = rec.transcribe(a.samples, a.sampleRate, { decoder: rec.decoder({ beamWidth: 6, nBest: 3 }) });
    assert.equal(t.alternatives?.length, 3);
    assert.equal(t.alternatives![0]!.text, t.text);
    assert.equal(t.alternatives![0]!.score, t.score);
    for (let i = 1; i < 3; i++) assert.ok(t.alternatives![i - 1]!.score >= t.alternatives![i]!.score);
    assert.equal(rec.transcribe(a.samples, a.sampleRate, { decoder: rec.decoder({ beamWidth: 6 }) }).alternatives, undefined);
  });

  it('the flags reach the decoder', () => {
    const a = audio[0]!;
    const f = rec.features(a.samples, a.sampleRate);
    const y = model.decodable(f.data, [f.frames, 1, f.dim], [f.frames]) as TransducerOutput;
    const enc = y.encoded[0]!;
    // a decoder from flags decodes as the RNN-T search those flags name, with these settings
    const same = (d: Decoder | undefined, want: Parameters<typeof transducerDecodeNBest>[2]): void => {
      const got = d!.decode(y)[0]!;
      const expected = transducerDecodeNBest(model, enc, want);
      assert.deepEqual(got.map((h) => [h.tokens, h.score]), expected.map((h) => [h.tokens, h.score]));
    };
    // no flags: the recogniser's default decoder, greedy for an RNN-T model without an LM of its own
    same(decoderFromFlags(rec, {}).decoder, { method: 'greedy' });
    same(decoderFromFlags(rec, { beam: 6 }).decoder, { method: 'modified-beam', beam: 6 });
    same(decoderFromFlags(rec, { rnntSearch: 'graves' }).decoder, { method: 'beam', beam: 8 });
    same(decoderFromFlags(rec, { nbest: 3 }).decoder, { method: 'modified-beam', beam: 8, nBest: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'sayre-rnnt-flags-'));
    writeFileSync(join(dir, 'lm.arpa'), ARPA);
    writeFileSync(join(dir, 'hot.txt'), 'ab\t4\n');
    // the fused scorer is the word scorer with these weights
    same(decoderFromFlags(rec, { lm: join(dir, 'lm.arpa'), beam: 3, alpha: 0.7, beta: 0.2, rnntSearch: 'modified' }).decoder,
      { method: 'modified-beam', beam: 3, lm: wordFusion(labels, { lm, alpha: 0.7, beta: 0.2 }) });
    same(decoderFromFlags(rec, { hotwords: join(dir, 'hot.txt') }).decoder,
      { method: 'modified-beam', beam: 8, lm: wordFusion(labels, { hotwords: [{ phrase: 'ab', weight: 4 }] }) });
    assert.throws(() => decoderFromFlags(rec, { alpha: 1 }), /--alpha and --beta need --lm/);
    assert.throws(() => decoderFromFlags(rec, { beam: 4, beta: 1 }), /--alpha and --beta need --lm/);
    // the bonus per label is the CTC prefix search's: refused for a transducer, by the flags and by the decoder
    assert.throws(() => decoderFromFlags(rec, { lm: join(dir, 'lm.arpa'), labelBonus: 1 }), /--label-bonus applies to CTC models/);
    assert.throws(() => decoderFor(rec, { lm: join(dir, 'lm.arpa'), labelBonus: 1 })!.decode(y), /labelBonus applies to CTC models/);
    assert.throws(() => decoderFor(rec, { rnntSearch: 'exhaustive' as 'graves' }), /must be 'modified' or 'graves'/);
    assert.throws(() => rec.decoder({ search: 'greedy', lm }), /need a beam search/);
  });
});

describe('TransducerWordScorer', () => {
  const labels = ['', ' ', 'a', 'b', 'c'];
  const spell = (s: string): number[] => [...s].map((ch) => labels.indexOf(ch));
  /** Every string over ' ', 'a', 'b', 'c' up to length n. */
  function strings(n: number): string[] {
    let level = [''];
    const out = [''];
    for (let i = 0; i < n; i++) {
      level = level.flatMap((s) => [' ', 'a', 'b', 'c'].map((ch) => s + ch));
      out.push(...level);
    }
    return out;
  }
  function total(scorer: TransducerWordScorer, s: string): number {
    const out = lmStep();
    let state = scorer.begin();
    let sum = 0;
    for (const k of spell(s)) {
      scorer.score(state, k, out);
      sum += out.logProb;
      state = out.state;
    }
    return sum + scorer.finish(state);
  }

  it('sums to alpha ln P_lm(words) + beta words + unkScore unknown words + hotword bonuses, look-ahead included along the way', () => {
    const alpha = 0.7, beta = 0.4, unkScore = -3;
    const scorer = new TransducerWordScorer(labels, { lm, alpha, beta, unkScore, hotwords: [{ phrase: 'ab', weight: 5 }] });
    for (const s of strings(5)) {
      const words = s.split(' ').filter((w) => w !== '');
      const unknown = words.filter((w) => lm.id(w) === lm.unkId).length;
      const hot = 5 * words.filter((w) => w === 'ab').length;
      const want = alpha * sentenceLogProb(lm, words) + beta * words.length + unkScore * unknown + hot;
      const got = total(scorer, s);
      assert.ok(Math.abs(got - want) < 1e-9, `"${s}": ${got} vs ${want}`);
    }
  });

  it('scores nothing without an LM or hotwords, and checks its options', () => {
    const scorer = new TransducerWordScorer(labels, {});
    for (const s of strings(3)) assert.equal(total(scorer, s), 0);
    assert.throws(() => new TransducerWordScorer(labels, { lm, alpha: NaN }), /alpha must be finite/);
    assert.throws(() => new TransducerWordScorer(['', 'a', 'b'], { lm }), /need a word delimiter label/);
  });
});
