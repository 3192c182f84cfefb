/**
 * Word-level shallow fusion for the RNN-T beam searches: a word n-gram LM (the one the CTC
 * prefix beam search takes), a word bonus and hotwords, scored on the transducer's
 * character labels. It is the CTC decoder's word scoring, label by label:
 *
 *   alpha ln P_lm(words) + beta words + unkScore (unknown words) + hotword bonuses
 *   + the look-ahead of the word in progress (alpha times the best unigram of a word it may
 *     still become, or of `<unk>` plus unkScore when it can become none),
 *
 * so that a hypothesis pays for a word as it spells it rather than all at once at the
 * space (which would make the beam put spaces off). Its scores are already weighted: use
 * it through {@link wordFusion} (weight 1).
 */
import { HotwordGraph, type Hotword, type HotwordState } from './hotwords.js';
import { LabelSet } from './label-set.js';
import { lmStep, type LanguageModel, type LmStep } from './lm/language-model.js';
import type { RnntLmFusion } from './rnnt-fusion.js';
import { type WordTrie, lmWordTrie } from './word-trie.js';

/** Options of {@link TransducerWordScorer}; the defaults are the CTC prefix beam search's. */
export interface TransducerWordScorerOptions {
  /** Index of the blank among the labels. Default 0. */
  blank?: number;
  /** The label between words. Default ' '. */
  wordDelimiter?: string;
  /** A word LM (natural-log scores). Default none. */
  lm?: LanguageModel;
  /** LM weight. Default 0.5. */
  alpha?: number;
  /** Bonus per word (with an LM only). Default 1. */
  beta?: number;
  /** Added per word the LM does not know (with an LM only). Default -10. */
  unkScore?: number;
  /** Words or phrases to boost. Default none. */
  hotwords?: readonly (Hotword | string)[];
  /** Bonus of a hotword given without a weight. Default 10. */
  hotwordWeight?: number;
}

/** What a scorer state stands for (states are indices into these columns). */
interface StateTable {
  lm: number[];
  /** Trie node of the word in progress: 0 between words, -1 off the trie. */
  node: number[];
  hotNode: number[];
  hotBefore: number[];
  hotCommitted: number[];
  hotBase: number[];
}

/**
 * The weighted word-level score of a transducer's label sequences, as a token-level LM
 * over the labels (see the file comment). States are small integers interned per
 * utterance: {@link begin} starts a new utterance, and the states of earlier ones are
 * forgotten.
 */
export class TransducerWordScorer implements Pick<LanguageModel, 'begin' | 'score' | 'finish'> {
  readonly labels: LabelSet;
  private readonly lm: LanguageModel | undefined;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly unkScore: number;
  private readonly trie: WordTrie | null;
  private readonly trieLmId: Int32Array;
  /** alpha ln P(<unk>) + unkScore: the look-ahead of a word off the trie. */
  private readonly unkLookahead: number;
  private readonly hot: HotwordGraph | null;
  private readonly ids = new Map<string | number, number>();
  private readonly nodeStride: number;
  private table: StateTable = emptyTable();
  private readonly h: HotwordState = { node: 0, before: 0, committed: 0, base: 0 };
  private readonly lmOut: LmStep = lmStep();

  constructor(labels: readonly string[], options: TransducerWordScorerOptions = {}) {
    this.labels = new LabelSet(labels, options.blank ?? 0, options.wordDelimiter ?? ' ');
    this.lm = options.lm;
    this.alpha = options.alpha ?? 0.5;
    this.beta = options.beta ?? 1;
    this.unkScore = options.unkScore ?? -10;
    for (const k of ['alpha', 'beta', 'unkScore'] as const) {
      if (!Number.isFinite(this[k])) throw new Error(`RNN-T word fusion: ${k} must be finite, got ${this[k]}`);
    }
    if (this.labels.delimiter < 0 && (this.lm || options.hotwords)) {
      throw new Error(`RNN-T word fusion: a word LM or hotwords need a word delimiter label ("${options.wordDelimiter ?? ' '}" is not among the labels)`);
    }
    if (this.lm) {
      const { trie, lmIds } = lmWordTrie(this.labels, this.lm);
      this.trie = trie;
      this.trieLmId = lmIds;
      this.unkLookahead = this.alpha * (this.lm.unigram ? this.lm.unigram(this.lm.unkId) : 0) + this.unkScore;
    } else {
      this.trie = null;
      this.trieLmId = new Int32Array(0);
      this.unkLookahead = 0;
    }
    this.nodeStride = (this.trie?.size ?? 0) + 1;
    this.hot = options.hotwords && options.hotwords.length > 0 ? new HotwordGraph(options.hotwords, this.labels, options.hotwordWeight ?? 10) : null;
  }

  /** The fusion options for the RNN-T beam searches (every non-blank label scored here). */
  fusion(): RnntLmFusion {
    return { lm: this, weight: 1, labelIds: this.labels.labels.map((_, k) => (k === this.labels.blank ? -1 : k)) };
  }

  /** The state before any label; starts a new utterance (earlier states become invalid). */
  begin(): number {
    this.ids.clear();
    this.table = emptyTable();
    this.h.node = 0; this.h.before = 0; this.h.committed = 0; this.h.base = 0;
    return this.intern(this.lm ? this.lm.begin() : 0, 0, this.h);
  }

  /** Writes the weighted score of `label` after state `state`, and the next state, into `out`. */
  score(state: number, label: number, out: LmStep): LmStep {
    const t = this.table;
    let lmState = t.lm[state]!;
    const node = t.node[state]!;
    const h = this.loadHot(state);
    let delta = -this.lookahead(node);
    let next = node;
    if (label === this.labels.delimiter) {
      if (node !== 0) {
        delta += this.wordEnd(lmState, node);
        lmState = this.lmOut.state;
      }
      next = 0;
    } else if (this.trie) {
      next = node >= 0 ? this.trie.child(node, label) : -1;
    }
    delta += this.lookahead(next);
    if (this.hot) {
      const before = this.hot.bonus(h);
      this.hot.advance(h, label);
      delta += this.hot.bonus(h) - before;
    }
    out.logProb = delta;
    out.state = this.intern(lmState, next, h);
    return out;
  }

  /** The weighted score of ending the utterance in `state` (the word in progress, end of sentence, hotwords). */
  finish(state: number): number {
    const t = this.table;
    const node = t.node[state]!;
    let lmState = t.lm[state]!;
    let s = 0;
    if (node !== 0) {
      s += this.wordEnd(lmState, node) - this.lookahead(node);
      lmState = this.lmOut.state;
    }
    if (this.lm) s += this.alpha * this.lm.finish(lmState);
    if (this.hot) {
      const h = this.loadHot(state);
      const before = this.hot.bonus(h);
      this.hot.finish(h);
      s += this.hot.bonus(h) - before;
    }
    return s;
  }

  /** alpha ln P(word at `node` | lmState) + beta (+ unkScore if unknown); the LM's next state is left in lmOut. */
  private wordEnd(lmState: number, node: number): number {
    const lm = this.lm;
    if (!lm) {
      this.lmOut.state = lmState;
      return 0;
    }
    const w = node >= 0 ? this.trie!.word(node) : -1;
    const id = w >= 0 ? this.trieLmId[w]! : lm.unkId;
    lm.score(lmState, id, this.lmOut);
    return this.alpha * this.lmOut.logProb + this.beta + (id === lm.unkId ? this.unkScore : 0);
  }

  /** The look-ahead of a word in progress at trie node `node` (0 between words and without an LM). */
  private lookahead(node: number): number {
    if (!this.trie || node === 0) return 0;
    return node > 0 ? this.alpha * this.trie.bestBelow(node) : this.unkLookahead;
  }

  private loadHot(state: number): HotwordState {
    const t = this.table, h = this.h;
    h.node = t.hotNode[state]!;
    h.before = t.hotBefore[state]!;
    h.committed = t.hotCommitted[state]!;
    h.base = t.hotBase[state]!;
    return h;
  }

  private intern(lmState: number, node: number, h: HotwordState): number {
    // without hotwords a number identifies the state (node is -1 .. trie size - 1)
    const key = this.hot ? `${lmState},${node},${h.node},${h.before},${h.committed},${h.base}` : lmState * this.nodeStride + node + 1;
    let id = this.ids.get(key);
    if (id === undefined) {
      const t = this.table;
      id = t.lm.length;
      t.lm.push(lmState);
      t.node.push(node);
      t.hotNode.push(h.node);
      t.hotBefore.push(h.before);
      t.hotCommitted.push(h.committed);
      t.hotBase.push(h.base);
      this.ids.set(key, id);
    }
    return id;
  }
}

function emptyTable(): StateTable {
  return { lm: [], node: [], hotNode: [], hotBefore: [], hotCommitted: [], hotBase: [] };
}

/** Word-level fusion options for the RNN-T beam searches: {@link TransducerWordScorer}'s. */
export function wordFusion(labels: readonly string[], options: TransducerWordScorerOptions): RnntLmFusion {
  return new TransducerWordScorer(labels, options).fusion();
}
