import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rnntBeamSearch } from '../../src/decode/rnnt-beam.js';
import { rnntModifiedBeamSearch } from '../../src/decode/rnnt-modified-beam.js';
import type { RnntLmFusion } from '../../src/decode/rnnt-fusion.js';
import type { LmStep } from '../../src/decode/lm/language-model.js';
import { ToyTransducer, toyEncoder } from './toy-transducer.js';
import { allLabellings, exactLogProb } from './rnnt-decode-reference.js';

/** A bigram LM over LM ids 0..n-1; state = previous id (n at the start). */
class BigramLm {
  constructor(private readonly logP: number[][], private readonly end: number[]) {}
  begin(): number { return this.logP.length - 1; }
  score(state: number, token: number, out: LmStep): LmStep {
    out.logProb = this.logP[state]![token]!;
    out.state = token;
    return out;
  }
  finish(state: number): number { return this.end[state]!; }
  /** ln P(ids, end of sentence). */
  sentence(ids: number[]): number {
    let s = this.begin();
    let total = 0;
    for (const id of ids) { total += this.logP[s]![id]!; s = id; }
    return total + this.end[s]!;
  }
}

// transducer labels 1, 2 map to LM ids 0, 1 (blank 0 is never scored)
const labelIds = [-1, 0, 1];
const lm = new BigramLm(
  [[Math.log(0.1), Math.log(0.6)], [Math.log(0.7), Math.log(0.1)], [Math.log(0.3), Math.log(0.4)]],
  [Math.log(0.3), Math.log(0.2), Math.log(0.3)],
);
const toLm = (y: number[]): number[] => y.map((k) => labelIds[k]!);

describe('RNN-T shallow fusion', () => {
  it('weight 0 changes nothing', () => {
    const model = new ToyTransducer(2, 3, 2);
    const enc = toyEncoder(9, 5, 2);
    const fusion: RnntLmFusion = { lm, weight: 0, labelIds };
    for (const search of [rnntModifiedBeamSearch, rnntBeamSearch]) {
      assert.deepEqual(search(model, enc, { beam: 4, nBest: 3, lm: fusion }), search(model, enc, { beam: 4, nBest: 3 }));
    }
  });

  it('ranks by acoustic + weight * LM + bonus * labels, exactly with a wide beam', () => {
    const weight = 0.8;
    const bonus = 0.3;
    for (let seed = 1; seed <= 3; seed++) {
      const model = new ToyTransducer(seed, 3, 2);
      const enc = toyEncoder(40 + seed, 4, 2);
      const ranked = allLabellings(3, 0, 4)
        .map((y) => ({ y, s: exactLogProb(model, enc, y, true) + weight * lm.sentence(toLm(y)) + bonus * y.length }))
        .sort((a, b) => b.s - a.s);
      const got = rnntModifiedBeamSearch(model, enc, { beam: 64, nBest: 3, lm: { lm, weight, labelIds, bonus } });
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(got[i]!.tokens, ranked[i]!.y);
        assert.ok(Math.abs(got[i]!.score - ranked[i]!.s) < 1e-9);
      }
    }
  });

  it('a strong LM pulls the Graves search to the sequence it prefers', () => {
    const model = new ToyTransducer(4, 3, 2, 0, 4, 6, 0.3); // a nearly uninformative transducer
    const enc = toyEncoder(50, 6, 2);
    // LM: after start "1", after 1 "2", after 2 end
    const peaky = new BigramLm(
      [[Math.log(0.01), Math.log(0.98)], [Math.log(0.01), Math.log(0.01)], [Math.log(0.98), Math.log(0.01)]],
      [Math.log(0.01), Math.log(0.98), Math.log(0.01)],
    );
    const [best] = rnntBeamSearch(model, enc, { beam: 8, lm: { lm: peaky, weight: 3, labelIds } });
    assert.deepEqual(best!.tokens, [1, 2]);
  });

  it('checks its options', () => {
    const model = new ToyTransducer(1, 3, 2);
    const enc = toyEncoder(1, 2, 2);
    assert.throws(() => rnntModifiedBeamSearch(model, enc, { lm: { lm, weight: 1, labelIds: [0, 1] } }), /labelIds has 2 entries, expected one per transducer output \(3\)/);
    assert.throws(() => rnntModifiedBeamSearch(model, enc, { lm: { lm, weight: NaN, labelIds } }), /weight must be finite/);
  });
});
