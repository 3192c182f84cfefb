/**
 * Shallow fusion for the RNN-T beam searches: a token-level language model scores each
 * emitted label, and the hypothesis' ranking score becomes
 * acoustic log-probability + weight * LM log-probability + bonus * labels.
 */
import { lmStep, type LanguageModel, type LmStep } from './lm/language-model.js';

/** Language-model options shared by the RNN-T beam searches. */
export interface RnntLmFusion {
  /** A token-level model (characters or word pieces) over the transducer's labels. */
  lm: Pick<LanguageModel, 'begin' | 'score' | 'finish'>;
  /** LM weight (alpha). */
  weight: number;
  /**
   * The LM token id of each transducer label (indexed by label; the blank's entry is
   * ignored); a negative id leaves that label unscored. E.g. `labels.map((s) => lm.id(s))`.
   */
  labelIds: ArrayLike<number>;
  /** Added per emitted label, to balance the LM's preference for short outputs. Default 0. */
  bonus?: number;
}

/** Weighted LM scoring of hypotheses; without fusion every score is 0. */
export class FusionScorer {
  private readonly out: LmStep = lmStep();

  constructor(private readonly fusion: RnntLmFusion | undefined, vocabSize: number, blank: number) {
    if (!fusion) return;
    if (!Number.isFinite(fusion.weight)) throw new Error(`LM fusion: weight must be finite, got ${fusion.weight}`);
    if (fusion.labelIds.length !== vocabSize) {
      throw new Error(`LM fusion: labelIds has ${fusion.labelIds.length} entries, expected one per transducer output (${vocabSize})`);
    }
    for (let k = 0; k < vocabSize; k++) {
      if (k !== blank && !Number.isInteger(fusion.labelIds[k])) throw new Error(`LM fusion: labelIds[${k}] is not an integer`);
    }
  }

  /** The LM state of the empty hypothesis. */
  begin(): number {
    return this.fusion ? this.fusion.lm.begin() : 0;
  }

  /**
   * Weighted score of emitting `label` after LM state `state`; the next state is left in
   * `this.nextState`.
   */
  step(state: number, label: number): number {
    this.nextState = state;
    const f = this.fusion;
    if (!f) return 0;
    const id = f.labelIds[label]!;
    if (id < 0) return f.bonus ?? 0;
    f.lm.score(state, id, this.out);
    this.nextState = this.out.state;
    return f.weight * this.out.logProb + (f.bonus ?? 0);
  }

  /** The LM state after the last {@link step}. */
  nextState = 0;

  /** Weighted end-of-sentence score. */
  finish(state: number): number {
    return this.fusion ? this.fusion.weight * this.fusion.lm.finish(state) : 0;
  }
}
