import type { LanguageModel, LmStep } from './language-model.js';
import { PairIndex } from './pair-index.js';

/** ln(10): ARPA stores log10, the LanguageModel interface speaks ln. */
const LN10 = Math.LN10;
/** log10 probability given to a token outside the vocabulary when the model has no `<unk>` (KenLM's choice). */
export const MISSING_UNK_LOG10 = -100;

/**
 * One order of an n-gram model. Entry i of order k >= 2 is the n-gram (context, word) with
 * context = entry `index.a[i]` of order k-1 and word = vocabulary id `index.b[i]`; order 1
 * has no index (entry i is vocabulary word i).
 */
export interface NgramOrder {
  /** (context entry, word) -> entry; null for unigrams. */
  index: PairIndex | null;
  /** log10 P(word | context) per entry. */
  log10Prob: Float32Array;
  /** log10 back-off weight per entry (0 where none); empty for the highest order. */
  log10Backoff: Float32Array;
}

/**
 * A back-off n-gram language model (ARPA semantics) in typed arrays: per order one
 * hashed table keyed by (context entry, word id), probabilities and back-off weights as
 * float32 log10, and for every entry the state of its longest known proper suffix.
 *
 * States: 0 is the empty context; entry i of order k (k < n) is state `stateBase[k] + i`.
 * Scoring follows the ARPA back-off rule:
 * P(w | c1..ck) = P(w | c1..ck) if that n-gram exists, else bow(c1..ck) * P(w | c2..ck).
 */
export class NgramModel implements LanguageModel {
  readonly order: number;
  readonly vocabulary: readonly string[];
  readonly unkId: number;
  /** Id of `<s>`, or -1. */
  readonly bosId: number;
  /** Id of `</s>`, or -1. */
  readonly eosId: number;
  /** The tables, orders[k - 1] for order k. */
  readonly orders: readonly NgramOrder[];
  /** Token -> id, made on the first `id` call (decoding the LM's own words needs none). */
  private ids: Map<string, number> | undefined;
  /** stateBase[k]: first state id of order k (index 0 unused). */
  private readonly stateBase: number[];
  /** suffixState[k - 1][i]: state of the longest proper suffix (known to the model) of entry i of order k. */
  private readonly suffixState: Int32Array[];
  private readonly scratch: LmStep = { logProb: 0, state: 0 };

  constructor(vocabulary: readonly string[], orders: readonly NgramOrder[]) {
    if (orders.length === 0) throw new Error('n-gram model: no orders');
    this.order = orders.length;
    this.vocabulary = vocabulary;
    this.orders = orders;
    this.unkId = vocabulary.lastIndexOf('<unk>');
    this.bosId = vocabulary.lastIndexOf('<s>');
    this.eosId = vocabulary.lastIndexOf('</s>');
    this.stateBase = [0, 1];
    for (let k = 1; k < this.order; k++) this.stateBase.push(this.stateBase[k]! + this.count(k));
    this.suffixState = [new Int32Array(vocabulary.length)];
    for (let k = 2; k <= this.order; k++) {
      const idx = orders[k - 1]!.index!;
      const suf = new Int32Array(idx.size);
      const ctxSuffix = this.suffixState[k - 2]!;
      // suffix(c1..ck-1 w) = longest known n-gram among (c2..ck-1 w), (c3..ck-1 w), ...:
      // for a bigram (c w), the unigram w (its state 1 + w).
      if (k === 2) for (let i = 0; i < idx.size; i++) suf[i] = this.stateBase[1]! + idx.b[i]!;
      else for (let i = 0; i < idx.size; i++) suf[i] = this.lookup(ctxSuffix[idx.a[i]!]!, idx.b[i]!, this.scratch, k - 1).state;
      this.suffixState.push(suf);
    }
  }

  /** Number of n-grams of order k. */
  count(k: number): number {
    const o = this.orders[k - 1]!;
    return o.index ? o.index.size : o.log10Prob.length;
  }

  /** Total number of n-grams over all orders. */
  get size(): number {
    let n = 0;
    for (let k = 1; k <= this.order; k++) n += this.count(k);
    return n;
  }

  /** Bytes held by the tables (typed arrays only). */
  get bytes(): number {
    let b = 0;
    for (const o of this.orders) b += (o.index?.bytes ?? 0) + o.log10Prob.byteLength + o.log10Backoff.byteLength;
    for (const s of this.suffixState) b += s.byteLength;
    return b;
  }

  id(token: string): number {
    if (!this.ids) {
      this.ids = new Map();
      for (let i = 0; i < this.vocabulary.length; i++) this.ids.set(this.vocabulary[i]!, i);
    }
    return this.ids.get(token) ?? this.unkId;
  }

  begin(): number {
    return this.bosId >= 0 && this.order > 1 ? this.stateBase[1]! + this.bosId : 0;
  }

  score(state: number, token: number, out: LmStep): LmStep {
    return this.lookup(state, token, out, this.order);
  }

  finish(state: number): number {
    return this.eosId < 0 ? 0 : this.lookup(state, this.eosId, this.scratch, this.order).logProb;
  }

  unigram(token: number): number {
    if (token < 0 || token >= this.vocabulary.length) return MISSING_UNK_LOG10 * LN10;
    return this.orders[0]!.log10Prob[token]! * LN10;
  }

  /**
   * The state of a context given as token ids (oldest first): the longest suffix of it
   * that the model knows, at most n-1 tokens.
   */
  stateOf(context: readonly number[]): number {
    let state = 0;
    for (const t of context) state = this.lookup(state, t, this.scratch, this.order).state;
    return state;
  }

  /** The order (0 for the empty context) and entry index of a state. */
  decodeState(state: number): [order: number, entry: number] {
    if (state === 0) return [0, 0];
    let k = 1;
    while (k + 1 < this.order && state >= this.stateBase[k + 1]!) k++;
    return [k, state - this.stateBase[k]!];
  }

  /**
   * Back-off scoring of `token` after `state`, with the next state limited to n-grams of
   * order < `maxOrder` + 1 (so that states never reach the highest order n).
   */
  private lookup(state: number, token: number, out: LmStep, maxOrder: number): LmStep {
    if (token < 0 || token >= this.vocabulary.length) {
      out.logProb = MISSING_UNK_LOG10 * LN10;
      out.state = 0;
      return out;
    }
    const n = this.order;
    let backoff = 0;
    let s = state;
    while (s !== 0) {
      let k = 1;
      while (k + 1 < n && s >= this.stateBase[k + 1]!) k++;
      const entry = s - this.stateBase[k]!;
      const next = this.orders[k]!;
      const j = next.index!.find(entry, token);
      if (j >= 0) {
        out.logProb = (backoff + next.log10Prob[j]!) * LN10;
        out.state = k + 1 < n && k + 1 <= maxOrder ? this.stateBase[k + 1]! + j : this.suffixState[k]![j]!;
        return out;
      }
      backoff += this.orders[k - 1]!.log10Backoff[entry]!;
      s = this.suffixState[k - 1]![entry]!;
    }
    out.logProb = (backoff + this.orders[0]!.log10Prob[token]!) * LN10;
    out.state = n > 1 ? this.stateBase[1]! + token : 0;
    return out;
  }
}
