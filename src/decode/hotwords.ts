import type { LabelSet } from './label-set.js';
import { PairIndex, grown } from './lm/pair-index.js';

/** A word or phrase to boost, with its bonus (natural-log units added to the score of a hypothesis that contains it). */
export interface Hotword {
  phrase: string;
  /** Bonus for the whole phrase; default the decoder's `hotwordWeight`. */
  weight?: number;
}

/** The hotword part of a hypothesis's state; the decoder keeps these fields per prefix. */
export interface HotwordState {
  /** Node of the match in progress: 0 at a word start, -1 inside a word that matches nothing. */
  node: number;
  /** Bonus committed before the match in progress began. */
  before: number;
  /** Bonus committed so far (complete phrases). */
  committed: number;
  /** Gain of the node where the last phrase of this match was committed. */
  base: number;
}

/**
 * Hotword boosting as a trie over label ids (phrase words joined by the delimiter label).
 * A phrase matches only from a word start. Each label of a partial match earns a share of
 * the phrase's weight (so that the beam keeps a hypothesis on its way to a hotword); when
 * the match breaks off, the partial bonus is taken back; when the phrase ends at a word
 * boundary (the delimiter or the end of the utterance), its whole weight is kept. Among
 * phrases sharing a prefix, a node's gain is the largest share offered by a phrase below it.
 */
export class HotwordGraph {
  private readonly children = new PairIndex(64);
  private gain = new Float64Array(64);
  /** Weight of the phrase ending at a node, or NaN. */
  private weightAt = new Float64Array(64).fill(NaN);
  private readonly delimiter: number;
  /** The largest |weight| of a phrase. */
  readonly maxWeight: number = 0;

  constructor(hotwords: readonly (Hotword | string)[], labels: LabelSet, defaultWeight: number) {
    this.delimiter = labels.delimiter;
    for (const h of hotwords) {
      const phrase = (typeof h === 'string' ? h : h.phrase).trim().split(/\s+/).join(' ');
      const weight = typeof h === 'string' ? defaultWeight : (h.weight ?? defaultWeight);
      if (phrase === '') throw new Error('hotwords: empty phrase');
      if (!Number.isFinite(weight)) throw new Error(`hotwords: weight of "${phrase}" is not finite`);
      this.maxWeight = Math.max(this.maxWeight, Math.abs(weight));
      const ids: number[] = [];
      for (const [i, word] of phrase.split(' ').entries()) {
        if (i > 0) {
          if (this.delimiter < 0) throw new Error(`hotwords: "${phrase}" has several words but the labels have no word delimiter`);
          ids.push(this.delimiter);
        }
        const s = labels.spell(word);
        if (!s) throw new Error(`hotwords: "${word}" cannot be spelled with the labels`);
        ids.push(...s);
      }
      let node = 0;
      ids.forEach((label, depth) => {
        node = this.children.insert(node, label) + 1;
        this.ensure(node + 1);
        this.gain[node] = Math.max(this.gain[node]!, (weight * (depth + 1)) / ids.length);
      });
      this.weightAt[node] = Number.isNaN(this.weightAt[node]!) ? weight : Math.max(this.weightAt[node]!, weight);
    }
  }

  /** The bonus a state adds to a hypothesis's score. */
  bonus(s: HotwordState): number {
    // Past a committed phrase, a longer one sharing its start earns only its gain beyond it.
    return s.node > 0 ? s.committed + Math.max(0, this.gain[s.node]! - s.base) : s.committed;
  }

  /** Moves `s` (in place) over one label. */
  advance(s: HotwordState, label: number): void {
    const isDelim = label === this.delimiter;
    if (s.node < 0) {
      if (isDelim) s.node = 0;
      return;
    }
    if (s.node === 0) {
      s.before = s.committed;
      s.base = 0;
    }
    if (isDelim && s.node > 0) this.commit(s);
    const e = this.children.find(s.node, label);
    if (e >= 0) {
      s.node = e + 1;
      return;
    }
    // The match broke off: keep what was committed, drop the partial gain.
    s.node = isDelim ? 0 : -1;
  }

  /** Ends the utterance: a phrase ending here counts, a partial match does not. */
  finish(s: HotwordState): void {
    if (s.node > 0) this.commit(s);
    s.node = 0;
  }

  private commit(s: HotwordState): void {
    const w = this.weightAt[s.node]!;
    if (Number.isNaN(w)) return;
    // A longer phrase replaces the bonus of the shorter one it extends (never lowering it).
    s.committed = Math.max(s.committed, s.before + w);
    s.base = this.gain[s.node]!;
  }

  private ensure(n: number): void {
    if (n <= this.gain.length) return;
    const old = this.gain.length;
    this.gain = grown(this.gain, n);
    this.weightAt = grown(this.weightAt, n);
    this.weightAt.fill(NaN, old);
  }
}

/**
 * Hotwords from text, one per line: a word or phrase, optionally followed by a tab (or
 * `:`) and its weight, e.g. `new york\t6`. Blank lines and lines starting with `#` are
 * skipped. (The format a `--hotwords file` flag reads.)
 */
export function parseHotwords(text: string): Hotword[] {
  const out: Hotword[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(.*?)\s*(?:\t|:)\s*(-?[\d.]+(?:e-?\d+)?)$/i.exec(line);
    if (!m) {
      out.push({ phrase: line });
      return;
    }
    const weight = Number(m[2]);
    if (!Number.isFinite(weight) || m[1] === '') throw new Error(`hotwords line ${i + 1}: cannot read "${line}"`);
    out.push({ phrase: m[1]!, weight });
  });
  return out;
}
