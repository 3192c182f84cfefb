import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rnntGreedyDecode } from '../../src/decode/rnnt-greedy.js';
import { rnntBeamSearch } from '../../src/decode/rnnt-beam.js';
import { rnntModifiedBeamSearch } from '../../src/decode/rnnt-modified-beam.js';
import type { TransducerModel } from '../../src/decode/rnnt-model.js';
import { ToyTransducer, toyEncoder } from './toy-transducer.js';
import { allLabellings, argmaxWalk, exactLogProb } from './rnnt-decode-reference.js';

const close = (a: number, b: number, tol: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('rnntGreedyDecode', () => {
  for (const cap of [1, 2, 10]) {
    it(`matches the plain argmax walk (cap ${cap})`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const model = new ToyTransducer(seed, 5, 3, seed % 5, 4, 6, 3);
        const enc = toyEncoder(100 + seed, 12, 3);
        const got = rnntGreedyDecode(model, enc, { maxSymbolsPerFrame: cap });
        const want = argmaxWalk(model, enc, cap);
        assert.deepEqual(got.tokens, want.tokens);
        assert.deepEqual(got.timesteps, want.timesteps);
        close(got.score, want.score, 1e-9, 'score');
      }
    });
  }

  it('emits at most maxSymbolsPerFrame labels per frame', () => {
    // a joint that always prefers label 1 over blank
    const model: TransducerModel<null> = {
      vocabSize: 3, blank: 0, initialState: () => null,
      predict: () => ({ output: new Float32Array(1), state: null }),
      joint: () => Float32Array.from([0, 5, 1]),
    };
    const r = rnntGreedyDecode(model, { data: new Float32Array(4), frames: 4, dim: 1 }, { maxSymbolsPerFrame: 3 });
    assert.deepEqual(r.tokens, new Array(12).fill(1));
    assert.deepEqual(r.timesteps, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('decodes zero frames to nothing', () => {
    const r = rnntGreedyDecode(new ToyTransducer(1, 4, 2), { data: new Float32Array(0), frames: 0, dim: 2 });
    assert.deepEqual(r, { tokens: [], timesteps: [], score: 0 });
  });
});

describe('rnntModifiedBeamSearch (one symbol per frame)', () => {
  it('with a beam wide enough is exact: the n-best equal the brute-force ranking', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const model = new ToyTransducer(seed, 3, 2, 0);
      const enc = toyEncoder(200 + seed, 4, 2);
      // every labelling has at most T = 4 labels: 31 of them
      const ranked = allLabellings(3, 0, 4)
        .map((y) => ({ y, lp: exactLogProb(model, enc, y, true) }))
        .sort((a, b) => b.lp - a.lp);
      const got = rnntModifiedBeamSearch(model, enc, { beam: 64, nBest: 5 });
      assert.equal(got.length, 5);
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(got[i]!.tokens, ranked[i]!.y, `seed ${seed} rank ${i}`);
        close(got[i]!.score, ranked[i]!.lp, 1e-9, `seed ${seed} rank ${i}`);
      }
    }
  });

  it('with beam 1 equals greedy decoding at one symbol per frame (so does Graves at cap 1)', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const model = new ToyTransducer(seed, 6, 3, 2, 4, 6, 3);
      const enc = toyEncoder(300 + seed, 15, 3);
      const greedy = rnntGreedyDecode(model, enc, { maxSymbolsPerFrame: 1 });
      // Graves's search at one symbol per frame has the same topology
      for (const [beam] of [rnntModifiedBeamSearch(model, enc, { beam: 1 }), rnntBeamSearch(model, enc, { beam: 1, maxSymbolsPerFrame: 1 })]) {
        assert.deepEqual(beam!.tokens, greedy.tokens);
        assert.deepEqual(beam!.timesteps, greedy.timesteps);
        close(beam!.score, greedy.score, 1e-9, 'score');
      }
    }
  });

  it('scores the beam through jointBatch where the model has one, with the same result', () => {
    const model = new ToyTransducer(9, 5, 3, 0, 4, 6, 2);
    let batches = 0;
    const batched: TransducerModel<Float32Array> = {
      vocabSize: model.vocabSize, blank: model.blank,
      initialState: () => model.initialState(),
      predict: (k, s) => model.predict(k, s),
      joint: () => { throw new Error('joint should not be called'); },
      jointBatch: (e, preds) => {
        batches++;
        const out = new Float32Array(preds.length * model.vocabSize);
        preds.forEach((p, i) => out.set(model.joint(e, p), i * model.vocabSize));
        return out;
      },
    };
    const enc = toyEncoder(77, 9, 3);
    assert.deepEqual(rnntModifiedBeamSearch(batched, enc, { beam: 4, nBest: 4 }), rnntModifiedBeamSearch(model, enc, { beam: 4, nBest: 4 }));
    assert.equal(batches, 9, 'one batch per frame');
  });

  it('a wider beam never scores below greedy', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const model = new ToyTransducer(seed, 5, 3, 0, 4, 6, 1.5);
      const enc = toyEncoder(400 + seed, 10, 3);
      const greedy = rnntGreedyDecode(model, enc, { maxSymbolsPerFrame: 1 });
      const [best] = rnntModifiedBeamSearch(model, enc, { beam: 8 });
      assert.ok(best!.score >= greedy.score - 1e-12, `seed ${seed}: ${best!.score} < ${greedy.score}`);
    }
  });
});

describe('rnntBeamSearch (Graves 2012)', () => {
  it('with a large beam finds the most probable labelling, scored by the sum over its alignments', () => {
    for (let seed = 1; seed <= 4; seed++) {
      // a blank bias keeps long labellings improbable, so that enumerating to maxLen is conclusive
      const model = new ToyTransducer(seed, 3, 2, 0, 4, 6, 1, 3);
      const enc = toyEncoder(500 + seed, 3, 2);
      const maxLen = 7;
      const scored = allLabellings(3, 0, maxLen).map((y) => ({ y, lp: exactLogProb(model, enc, y, false) }));
      scored.sort((a, b) => b.lp - a.lp);
      // the brute force is conclusive only if the labellings longer than maxLen cannot win
      const covered = scored.reduce((s, x) => s + Math.exp(x.lp), 0);
      const margin = Math.exp(scored[0]!.lp) - Math.exp(scored[1]!.lp);
      assert.ok(1 - covered < margin, `seed ${seed}: maxLen too small (${1 - covered} left, margin ${margin})`);
      const [best] = rnntBeamSearch(model, enc, { beam: 64, maxSymbolsPerFrame: maxLen });
      assert.deepEqual(best!.tokens, scored[0]!.y, `seed ${seed}`);
      close(best!.score, scored[0]!.lp, 1e-9, `seed ${seed} score`);
    }
  });

  it('never scores below greedy under the same symbols-per-frame cap', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const model = new ToyTransducer(seed, 5, 3, 0, 4, 6, 1.5);
      const enc = toyEncoder(600 + seed, 8, 3);
      for (const cap of [1, 2, 3]) {
        const greedy = rnntGreedyDecode(model, enc, { maxSymbolsPerFrame: cap });
        const [best] = rnntBeamSearch(model, enc, { beam: 16, maxSymbolsPerFrame: cap });
        assert.ok(best!.score >= greedy.score - 1e-12, `seed ${seed} cap ${cap}: ${best!.score} < ${greedy.score}`);
      }
    }
  });

  it('at one symbol per frame and a wide beam agrees with the modified beam search', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const model = new ToyTransducer(seed, 3, 2, 0);
      const enc = toyEncoder(200 + seed, 4, 2);
      const graves = rnntBeamSearch(model, enc, { beam: 64, nBest: 5, maxSymbolsPerFrame: 1 });
      const modified = rnntModifiedBeamSearch(model, enc, { beam: 64, nBest: 5 });
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(graves[i]!.tokens, modified[i]!.tokens);
        close(graves[i]!.score, modified[i]!.score, 1e-9, `seed ${seed} rank ${i}`);
      }
    }
  });

  it('returns distinct n-best labellings, best first', () => {
    const model = new ToyTransducer(3, 4, 2, 1);
    const enc = toyEncoder(700, 6, 2);
    const hyps = rnntBeamSearch(model, enc, { beam: 6, nBest: 4 });
    assert.equal(hyps.length, 4);
    assert.equal(new Set(hyps.map((h) => h.tokens.join(','))).size, 4);
    for (let i = 1; i < hyps.length; i++) assert.ok(hyps[i - 1]!.score >= hyps[i]!.score);
    for (const h of hyps) {
      assert.equal(h.timesteps.length, h.tokens.length);
      assert.ok(h.tokens.every((k) => k !== 1));
      for (let i = 1; i < h.timesteps.length; i++) assert.ok(h.timesteps[i - 1]! <= h.timesteps[i]!);
    }
  });

  it('extends hypotheses only with their labelsPerExpansion most probable labels', () => {
    // with one label per expansion and one symbol per frame, every hypothesis follows
    // the most probable label of its predecessor; beam 1 is then greedy decoding
    const model = new ToyTransducer(6, 6, 2, 0, 4, 6, 2);
    const enc = toyEncoder(900, 8, 2);
    const [one] = rnntBeamSearch(model, enc, { beam: 1, labelsPerExpansion: 1, maxSymbolsPerFrame: 1 });
    const wide = rnntBeamSearch(model, enc, { beam: 1, labelsPerExpansion: 5, maxSymbolsPerFrame: 1 });
    assert.deepEqual(one!.tokens, wide[0]!.tokens);
  });

  it('runs the prediction network once per distinct prefix', () => {
    const model = new ToyTransducer(5, 4, 2, 0);
    const hyps = rnntBeamSearch(model, toyEncoder(800, 10, 2), { beam: 4, nBest: 4 });
    const prefixes = new Set<string>(['']);
    for (const h of hyps) for (let u = 1; u <= h.tokens.length; u++) prefixes.add(h.tokens.slice(0, u).join(','));
    assert.ok(model.predictCalls >= prefixes.size);
    assert.ok(model.predictCalls < 10 * 4 * 4, `${model.predictCalls} predictor calls`);
  });
});

describe('RNN-T decoder input checks', () => {
  const model = new ToyTransducer(1, 4, 2);
  const enc = toyEncoder(1, 3, 2);
  it('rejects bad shapes and options', () => {
    assert.throws(() => rnntGreedyDecode(model, { data: new Float32Array(5), frames: 3, dim: 2 }), /holds 5 values, not frames x dim = 3 x 2/);
    assert.throws(() => rnntGreedyDecode(model, enc, { maxSymbolsPerFrame: 0 }), /maxSymbolsPerFrame must be a positive integer/);
    assert.throws(() => rnntBeamSearch(model, enc, { beam: 0 }), /rnntBeamSearch: beam must be a positive integer/);
    assert.throws(() => rnntModifiedBeamSearch(model, enc, { nBest: 1.5 }), /nBest must be a positive integer/);
    assert.throws(() => rnntBeamSearch(model, enc, { labelsPerExpansion: 0 }), /labelsPerExpansion must be a positive integer/);
  });
  it('rejects a joint network of the wrong size or with NaN', () => {
    const wrong: TransducerModel<null> = { vocabSize: 4, blank: 0, initialState: () => null, predict: () => ({ output: new Float32Array(1), state: null }), joint: () => new Float32Array(3) };
    assert.throws(() => rnntGreedyDecode(wrong, enc), /joint returned 3 scores at frame 0, expected vocabSize 4/);
    const nan: TransducerModel<null> = { ...wrong, joint: () => Float32Array.from([0, NaN, 0, 0]) };
    assert.throws(() => rnntModifiedBeamSearch(nan, enc), /NaN or infinite scores at frame 0/);
  });
});
