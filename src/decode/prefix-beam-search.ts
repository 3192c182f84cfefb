import { logAddExp, logSoftmaxRow } from '../math/log-softmax.js';
import type { Hypothesis, WordTiming } from './hypothesis.js';
import { HotwordGraph, type Hotword, type HotwordState } from './hotwords.js';
import { LabelSet } from './label-set.js';
import { lmStep, type LanguageModel, type LmStep } from './lm/language-model.js';
import { grown } from './lm/pair-index.js';
import { PrefixStore } from './prefix-store.js';
import { selectTop } from './select-top.js';
import { foldWord } from './lm/fold-word.js';
import { WordTrie, lmWordTrie, spelledWordTrie } from './word-trie.js';

/** Options of the CTC prefix beam search; every field has a documented default. */
export interface CtcBeamSearchOptions {
  /** Index of the blank label. Default 0. */
  blank?: number;
  /** The label that separates words. Default ' '; '' for labels without words. */
  wordDelimiter?: string;
  /** Prefixes kept after each frame. Default 32. */
  beamWidth?: number;
  /** Hypotheses returned per sequence, best first (distinct texts). Default 1. */
  nBest?: number;
  /** A label extends prefixes at a frame only if its log-posterior is at least this. Default -10. */
  tokenMinLogProb?: number;
  /** At most this many labels (the most probable) extend prefixes at a frame; 0 for no limit. Default 0. */
  tokenTopK?: number;
  /**
   * Only the most probable labels whose probabilities add up to this (blank counted
   * among them) extend prefixes at a frame; 1 for no limit. Default 1.
   */
  tokenCumulativeProb?: number;
  /** Prefixes scoring more than this (natural log) below the best are dropped. Default 25. */
  beamThreshold?: number;
  /** A language model (natural-log scores; see LanguageModel). Default none. */
  lm?: LanguageModel;
  /** 'word': the LM scores whole words at word boundaries; 'char': it scores every label. Default 'word'. */
  lmUnit?: 'word' | 'char';
  /** The token a character LM uses for the word delimiter. Default '|'. */
  charLmDelimiter?: string;
  /**
   * A word n-gram scored beside a character `lm` (lmUnit 'char'): every completed word adds
   * wordLmAlpha ln P(word | earlier words), and unkScore where the word LM does not know
   * it. The character LM guides the search inside words; this one judges whole words.
   * Default none.
   */
  wordLm?: LanguageModel;
  /** Weight of `wordLm`. Default 0.3. */
  wordLmAlpha?: number;
  /** `wordLm` knows words case-folded, without edge punctuation (see foldWord). Default false. */
  wordLmFolded?: boolean;
  /** LM weight: score = ln P_ctc + alpha ln P_lm + beta words + labelBonus labels. Used only with an LM. Default 0.5. */
  alpha?: number;
  /** Word insertion bonus per word. Used only with an LM. Default 1. */
  beta?: number;
  /**
   * Bonus per label of the prefix (natural log, not scaled by alpha). A character LM charges
   * every label alpha ln P(label | context) < 0, so a heavily weighted one makes the search
   * drop letters the network is unsure of; this pays each label back. Used only with an
   * LM. Default 0.
   */
  labelBonus?: number;
  /**
   * Added (natural log, not scaled by alpha) for every word a word LM does not know, and to
   * the look-ahead of a word in progress that no vocabulary word starts with; n-gram LMs
   * give `<unk>` too much probability for a decoder (merging two rare words into one
   * unknown one would often win). Default -10, pyctcdecode's unk_score_offset.
   */
  unkScore?: number;
  /**
   * Allowed words: prefixes that leave every word of the list, or end a word not in it,
   * are dropped. Words the labels cannot spell are ignored. Default none (any word).
   */
  lexicon?: Iterable<string>;
  /** Words or phrases to boost (see Hotword). Default none. */
  hotwords?: readonly (Hotword | string)[];
  /** Bonus of a hotword given without its own weight (pyctcdecode's default). Default 10. */
  hotwordWeight?: number;
}

/** What a word's end adds to a prefix (see CtcBeamSearchStream.closeWord). */
interface ClosedWord {
  /** The word LM's ln P of the word and its state after it (a character LM: 0, unchanged). */
  lm: number;
  lmState: number;
  /** The same of the word LM beside a character LM. */
  wordLm: number;
  wordLmState: number;
  /** Words unknown to the word LM (the search's own, or the one beside a character LM): 0 or 1. */
  oovs: number;
}

/** A decoder result with the score split into its parts. */
export interface BeamHypothesis extends Hypothesis {
  /** ln P_ctc(labelling | input), summed over every alignment. */
  acousticScore: number;
  /** Unscaled ln P_lm of the words (or labels), end of sentence included; 0 without an LM. A word LM beside a character LM is not in it. */
  lmScore: number;
}

/** The weight of a word LM beside a character LM where none is given. */
export const DEFAULT_WORD_LM_ALPHA = 0.3;

type Resolved = Required<Omit<CtcBeamSearchOptions, 'lm' | 'wordLm' | 'lexicon' | 'hotwords'>>;

const DEFAULTS: Resolved = {
  blank: 0, wordDelimiter: ' ', beamWidth: 32, nBest: 1, tokenMinLogProb: -10, tokenTopK: 0,
  tokenCumulativeProb: 1, beamThreshold: 25, lmUnit: 'word', charLmDelimiter: '|', wordLmAlpha: DEFAULT_WORD_LM_ALPHA, wordLmFolded: false, alpha: 0.5, beta: 1,
  labelBonus: 0, unkScore: -10, hotwordWeight: 10,
};

/**
 * CTC prefix beam search (Graves & Jaitly 2014; Hannun et al. 2014) with language-model
 * fusion, a lexicon, hotwords, n-best lists, word timings and streaming.
 *
 * A prefix's score is ln P_ctc(prefix) + alpha ln P_lm(words) + beta (words) + labelBonus
 * (labels) + unkScore (words unknown to a word LM) + hotword bonuses; a word LM scores a
 * word when its delimiter follows (or the utterance ends), and a word in progress gets
 * alpha times the best unigram of the vocabulary words it may still become (the
 * look-ahead), or of `<unk>` plus unkScore if it can become none. A character LM scores
 * every label; a word LM beside it (`wordLm`) adds wordLmAlpha ln P(word) as each word
 * ends. Timings: a label starts at the frame where most of its prefix's probability
 * entered it, and ends at the last frame where its prefix was more likely inside the label
 * than after it. A word's confidence is the geometric mean of its labels' peak posteriors.
 *
 * ```ts
 * const dec = new CtcBeamSearchDecoder(['-', ' ', 'a', 'b'], { lm, alpha: 0.6, beta: 1.2 });
 * const [[best]] = dec.decode(logits, [T, 1, 4]);
 * const s = dec.begin(); s.step(chunk1); s.step(chunk2); const nbest = s.end();
 * ```
 */
export class CtcBeamSearchDecoder {
  readonly labels: LabelSet;
  readonly options: Readonly<Resolved>;
  readonly lm: LanguageModel | undefined;
  /** The word LM beside a character LM (see CtcBeamSearchOptions.wordLm). */
  readonly wordLm: LanguageModel | undefined;
  /** @internal */ readonly trie: WordTrie | null;
  /** @internal LM id of each trie word. */ readonly trieLmId: Int32Array;
  /** @internal */ readonly constrained: boolean;
  /** @internal */ readonly hotwords: HotwordGraph | null;
  /** @internal LM id per label (character LM). */ readonly labelLmId: Int32Array;
  /** @internal ln P(<unk>), the look-ahead of a word off the trie. */ readonly unkLookahead: number;
  /** Node storage reused by `decode` from one sequence to the next. */
  private readonly store = new PrefixStore();

  constructor(labels: readonly string[], options: CtcBeamSearchOptions = {}) {
    const o: Resolved = { ...DEFAULTS };
    for (const [k, v] of Object.entries(options)) if (v !== undefined && k in DEFAULTS) (o as Record<string, unknown>)[k] = v;
    this.options = o;
    checkOptions(o);
    this.labels = new LabelSet(labels, o.blank, o.wordDelimiter);
    this.lm = options.lm;
    const lm = options.lm;
    this.wordLm = options.wordLm;
    if (options.wordLm && !(lm && o.lmUnit === 'char')) throw new Error("beam search: wordLm goes beside a character LM (lm with lmUnit 'char'); a word LM alone is `lm`");
    if (lm && o.lmUnit === 'word' && this.labels.delimiter < 0) {
      throw new Error(`beam search: a word LM needs a word delimiter label ("${o.wordDelimiter}" is not among the labels)`);
    }
    const wordLm = lm && o.lmUnit === 'word' ? lm : undefined;
    this.constrained = options.lexicon !== undefined;
    if (options.lexicon !== undefined || wordLm) {
      const { trie, lmIds } = options.lexicon !== undefined ? spelledWordTrie(this.labels, options.lexicon, wordLm) : lmWordTrie(this.labels, wordLm!);
      this.trie = trie;
      this.trieLmId = lmIds;
    } else {
      this.trie = null;
      this.trieLmId = new Int32Array(0);
    }
    this.unkLookahead = wordLm?.unigram ? wordLm.unigram(wordLm.unkId) : 0;
    this.labelLmId = new Int32Array(labels.length).fill(-1);
    if (lm && o.lmUnit === 'char') {
      labels.forEach((l, i) => {
        if (i !== o.blank) this.labelLmId[i] = lm.id(i === this.labels.delimiter ? o.charLmDelimiter : l);
      });
    }
    this.hotwords = options.hotwords && options.hotwords.length > 0 ? new HotwordGraph(options.hotwords, this.labels, o.hotwordWeight) : null;
  }

  /**
   * Decodes a batch of (T, B, C) logits or log-probabilities (each row is log-softmax
   * normalised, which leaves log-probabilities unchanged), time-major like the rest of
   * sayre; sequence b uses its first lengths[b] frames (default T). Returns per sequence
   * its n-best hypotheses, best first.
   */
  decode(logits: ArrayLike<number>, shape: readonly [number, number, number], lengths?: ArrayLike<number>): BeamHypothesis[][] {
    const [T, B, C] = shape;
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new Error(`beam search: bad shape [${shape.join(', ')}]`);
    if (logits.length !== T * B * C) throw new Error(`beam search: logits hold ${logits.length} values, shape [${T}, ${B}, ${C}] needs ${T * B * C}`);
    if (C !== this.labels.size) throw new Error(`beam search: ${C} classes but ${this.labels.size} labels`);
    if (lengths && lengths.length !== B) throw new Error(`beam search: ${lengths.length} lengths for a batch of ${B}`);
    const out: BeamHypothesis[][] = [];
    for (let b = 0; b < B; b++) {
      const len = lengths ? lengths[b]! : T;
      if (!Number.isInteger(len) || len < 0 || len > T) throw new Error(`beam search: sequence ${b}: length ${len} is outside 0..${T}`);
      const s = new CtcBeamSearchStream(this, this.store);
      s.label = `sequence ${b}`;
      for (let t = 0; t < len; t++) s.stepRow(logits, (t * B + b) * C);
      out.push(s.end());
    }
    return out;
  }

  /** Starts an incremental decode of one sequence (see CtcBeamSearchStream). */
  begin(): CtcBeamSearchStream {
    return new CtcBeamSearchStream(this);
  }
}

/**
 * One sequence decoded incrementally: `step` with new frames as they arrive, `best` for
 * the current best guess, `end` for the final n-best list. The result is identical to
 * `decode` over all the frames at once, however the frames are split.
 */
export class CtcBeamSearchStream {
  /** Names the sequence in error messages. */
  label = 'stream';
  /**
   * Nodes kept before the prefix tree is compacted down to the beam and its ancestors
   * (about 140 bytes a node), so that an endless stream's memory stays bounded.
   */
  compactAbove = 1 << 18;
  private readonly d: CtcBeamSearchDecoder;
  private readonly store: PrefixStore;
  private readonly C: number;
  private readonly row: Float64Array;
  private readonly toks: Int32Array;
  /** allowed[c] === t where label c may extend prefixes at frame t. */
  private readonly allowed: Int32Array;
  private t = 0;
  private ended = false;
  // The beam: node ids with ln P(prefix, ending in blank) and ln P(prefix, ending in a label).
  private beamNode: Int32Array;
  private beamPb: Float64Array;
  private beamPnb: Float64Array;
  private beamSize = 1;
  /** ln P(prefix) of each beam entry, for the frame being processed. */
  private readonly beamTotal: Float64Array;
  // Candidates of the frame being processed, one slot per distinct prefix.
  private candNode = new Int32Array(256);
  private candPb = new Float64Array(256);
  private candPnb = new Float64Array(256);
  private candExt = new Float64Array(256);
  private candRep = new Float64Array(256);
  private candTotal = new Float64Array(256);
  private order = new Int32Array(256);
  private m = 0;
  private readonly step1: LmStep = lmStep();
  private readonly hot: HotwordState = { node: 0, before: 0, committed: 0, base: 0 };
  private readonly alpha: number;
  private readonly beta: number;
  private readonly labelBonus: number;
  private readonly unkScore: number;
  /** Whether the last word wordScore scored is unknown to the LM. */
  private oov = false;
  private readonly wordLm: boolean;
  private readonly charLm: boolean;
  /** Weight of the word LM beside the character LM (0 without one). */
  private readonly wordLmAlpha: number;
  private readonly closed: ClosedWord = { lm: 0, lmState: 0, wordLm: 0, wordLmState: 0, oovs: 0 };
  /** Bounds for gainBound: the hotword step bound, the largest possible look-ahead, and a word off the trie's. */
  private readonly hotBound: number;
  private readonly lookaheadMax: number;
  private readonly unkLookahead: number;

  /** @internal use CtcBeamSearchDecoder.begin */
  constructor(decoder: CtcBeamSearchDecoder, store?: PrefixStore) {
    this.d = decoder;
    this.store = store ?? new PrefixStore();
    this.store.reset();
    this.C = decoder.labels.size;
    this.row = new Float64Array(this.C);
    this.toks = new Int32Array(this.C);
    this.allowed = new Int32Array(this.C).fill(-1);
    const w = decoder.options.beamWidth;
    this.beamNode = new Int32Array(w);
    this.beamPb = new Float64Array(w);
    this.beamPnb = new Float64Array(w).fill(-Infinity);
    this.beamTotal = new Float64Array(w);
    const lm = decoder.lm;
    this.alpha = lm ? decoder.options.alpha : 0;
    this.beta = lm ? decoder.options.beta : 0;
    this.labelBonus = lm ? decoder.options.labelBonus : 0;
    this.wordLm = lm !== undefined && decoder.options.lmUnit === 'word';
    this.wordLmAlpha = decoder.wordLm ? decoder.options.wordLmAlpha : 0;
    this.unkScore = this.wordLm || decoder.wordLm ? decoder.options.unkScore : 0;
    this.charLm = lm !== undefined && decoder.options.lmUnit === 'char';
    this.hotBound = decoder.hotwords ? 2 * decoder.hotwords.maxWeight : 0;
    this.unkLookahead = this.alpha * decoder.unkLookahead + this.unkScore;
    this.lookaheadMax = this.wordLm
      ? Math.max(this.alpha === 0 ? 0 : this.alpha * decoder.trie!.bestBelow(0), this.unkLookahead)
      : 0;
    const st = this.store;
    st.lmState[0] = lm ? lm.begin() : 0;
    st.wordLmState[0] = decoder.wordLm ? decoder.wordLm.begin() : 0;
    st.trie[0] = decoder.trie ? 0 : -1;
    st.start[0] = -1;
    st.end[0] = -1;
    this.beamNode[0] = 0;
    this.beamPb[0] = 0;
  }

  /** Frames consumed so far. */
  get frames(): number {
    return this.t;
  }

  /**
   * Consumes frames given as a row-major (frames, C) array of logits or log-probabilities;
   * `numFrames` defaults to all of them.
   */
  step(frames: ArrayLike<number>, numFrames?: number): void {
    const n = numFrames ?? frames.length / this.C;
    if (!Number.isInteger(n) || n < 0 || n * this.C > frames.length) {
      throw new Error(`beam search: ${this.label}: step needs whole frames of ${this.C} values, got ${frames.length} values for ${numFrames ?? 'all'} frames`);
    }
    for (let i = 0; i < n; i++) this.stepRow(frames, i * this.C);
  }

  /** The best hypothesis if the input ended now (the stream goes on). */
  best(): BeamHypothesis {
    return this.results(1)[0]!;
  }

  /** The n-best hypotheses if the input ended now, best first (the stream goes on). */
  peek(nBest = this.d.options.nBest): BeamHypothesis[] {
    return this.results(nBest);
  }

  /** Finishes the sequence: its n-best hypotheses, best first. */
  end(): BeamHypothesis[] {
    this.ended = true;
    return this.results(this.d.options.nBest);
  }

  /** @internal one frame from src[off .. off + C) */
  stepRow(src: ArrayLike<number>, off: number): void {
    if (this.ended) throw new Error(`beam search: ${this.label}: step after end`);
    const C = this.C;
    const lp = this.row;
    const lse = logSoftmaxRow(src, off, C, lp, 0);
    if (!Number.isFinite(lse)) throw new Error(`beam search: ${this.label}: frame ${this.t} holds NaN or infinite values`);
    const o = this.d.options;
    const blank = o.blank;
    const t = this.t;
    const nt = this.selectTokens();
    const toks = this.toks;
    const st = this.store;
    // Room for every node and candidate this frame can make, so that the arrays held in
    // locals below never move.
    st.reserve(st.size + this.beamSize * nt + 1);
    if (this.beamSize * (nt + 1) > this.candNode.length) this.growCandidates(this.beamSize * (nt + 1));
    const candPb = this.candPb;
    const candPnb = this.candPnb;
    const candExt = this.candExt;
    const candRep = this.candRep;
    const stamp = st.stamp;
    const slot = st.slot;
    const dead = st.dead;
    const blankLp = lp[blank]!;
    const score = st.score;
    this.m = 0;
    // Pass 1: every prefix of the beam stays itself (a blank, or its last label repeated).
    const totals = this.beamTotal;
    let best = -Infinity;
    let worst = Infinity;
    for (let i = 0; i < this.beamSize; i++) {
      const node = this.beamNode[i]!;
      const pb = this.beamPb[i]!;
      const pnb = this.beamPnb[i]!;
      const total = logAddExp(pb, pnb);
      totals[i] = total;
      const s = this.newSlot(node, t);
      candPb[s] = total + blankLp;
      const last = st.label(node);
      if (last >= 0) {
        candPnb[s] = pnb + lp[last]!;
        candRep[s] = candPnb[s]!;
      }
      const v = logAddExp(candPb[s]!, candPnb[s]!) + score[node]!;
      if (v > best) best = v;
      if (v < worst) worst = v;
    }
    // Those totals only grow as extensions merge in, so an extension that cannot reach the
    // smallest of a full beam's, or the best one's minus beamThreshold, can never survive:
    // skip it before making its node (exactly the same result, much less work).
    let floor = best - o.beamThreshold;
    if (this.beamSize >= o.beamWidth && worst > floor) floor = worst;
    // Pass 2: a prefix of the beam whose parent is in the beam too gets the parent's
    // extension by its label (slots 0..beamSize-1 are the beam entries, in order).
    const allowed = this.allowed;
    for (let j = 0; j < nt; j++) allowed[toks[j]!] = t;
    for (let i = 0; i < this.beamSize; i++) {
      const node = this.beamNode[i]!;
      if (node < 2) continue;
      const parent = st.parent(node);
      const c = st.label(node);
      if (stamp[parent] !== t || allowed[c] !== t) continue;
      const ip = slot[parent]!;
      const v = (c === st.label(parent) ? this.beamPb[ip]! : totals[ip]!) + lp[c]!;
      candPnb[i] = logAddExp(candPnb[i]!, v);
      candExt[i] = logAddExp(candExt[i]!, v);
    }
    // Pass 3: extensions into prefixes outside the beam, each its prefix's only contribution.
    const delim = this.d.labels.delimiter;
    for (let i = 0; i < this.beamSize; i++) {
      const node = this.beamNode[i]!;
      const pb = this.beamPb[i]!;
      const total = totals[i]!;
      const last = st.label(node);
      const reach = floor - score[node]!;
      const gain = this.gainBound(node, false);
      const gainDelim = this.gainBound(node, true);
      for (let j = 0; j < nt; j++) {
        const c = toks[j]!;
        const v = (c === last ? pb : total) + lp[c]!;
        if (v + (c === delim ? gainDelim : gain) < reach) continue;
        let child = st.find(node, c);
        if (child >= 0 && stamp[child] === t) continue; // in the beam: merged in pass 2
        if (child < 0) child = this.extend(node, c);
        if (dead[child]) continue;
        const s = this.newSlot(child, t);
        candPnb[s] = v;
        candExt[s] = v;
      }
    }
    this.prune(lp);
    this.t++;
    if (this.store.size > this.compactAbove) {
      const map = this.store.compact(this.beamNode, this.beamSize);
      for (let i = 0; i < this.beamSize; i++) this.beamNode[i] = map[this.beamNode[i]!]!;
    }
  }

  /** Labels allowed to extend prefixes at this frame, into this.toks; returns how many. */
  private selectTokens(): number {
    const o = this.d.options;
    const lp = this.row;
    const toks = this.toks;
    let nt = 0;
    for (let c = 0; c < this.C; c++) if (c !== o.blank && lp[c]! >= o.tokenMinLogProb) toks[nt++] = c;
    const topK = o.tokenTopK > 0 && nt > o.tokenTopK;
    if (topK || o.tokenCumulativeProb < 1) {
      const sorted = Array.from(toks.subarray(0, nt)).sort((a, b) => lp[b]! - lp[a]! || a - b);
      let keep = topK ? o.tokenTopK : nt;
      if (o.tokenCumulativeProb < 1) {
        let mass = Math.exp(lp[o.blank]!);
        let j = 0;
        while (j < keep && mass < o.tokenCumulativeProb) mass += Math.exp(lp[sorted[j++]!]!);
        keep = j;
      }
      for (let j = 0; j < keep; j++) toks[j] = sorted[j]!;
      nt = keep;
    }
    return nt;
  }

  /** A new, empty candidate slot for `node` at frame t (room was reserved). */
  private newSlot(node: number, t: number): number {
    const s = this.m++;
    this.store.stamp[node] = t;
    this.store.slot[node] = s;
    this.candNode[s] = node;
    this.candPb[s] = -Infinity;
    this.candPnb[s] = -Infinity;
    this.candExt[s] = -Infinity;
    this.candRep[s] = -Infinity;
    return s;
  }

  /** Keeps the best beamWidth candidates within beamThreshold of the best; updates timings. */
  private prune(lp: Float64Array): void {
    const o = this.d.options;
    const st = this.store;
    const m = this.m;
    const total = this.candTotal;
    const order = this.order;
    let best = -Infinity;
    for (let s = 0; s < m; s++) {
      const v = logAddExp(this.candPb[s]!, this.candPnb[s]!) + st.score[this.candNode[s]!]!;
      total[s] = v;
      order[s] = s;
      if (v > best) best = v;
    }
    const k = Math.min(o.beamWidth, m);
    selectTop(total, order, m, k);
    const floor = best - o.beamThreshold;
    let n = 0;
    const t = this.t;
    for (let i = 0; i < k; i++) {
      const s = order[i]!;
      if (!(total[s]! >= floor)) continue;
      const node = this.candNode[s]!;
      const pb = this.candPb[s]!;
      const pnb = this.candPnb[s]!;
      this.beamNode[n] = node;
      this.beamPb[n] = pb;
      this.beamPnb[n] = pnb;
      n++;
      // The label starts here when more probability entered the prefix at this frame than
      // its own earlier mass carried over (through a blank or a repeat).
      if (this.candExt[s]! > logAddExp(pb, this.candRep[s]!)) st.start[node] = t;
      if (pnb >= pb && node > 1) {
        st.end[node] = t;
        const p = lp[st.label(node)]!;
        if (p > st.peak[node]!) st.peak[node] = p;
      }
    }
    this.beamSize = n;
  }

  /**
   * An upper bound on score(parent + c) - score(parent), for c the word delimiter or any
   * other label: LM log-probabilities are <= 0, a word's look-ahead only falls as it grows
   * (or becomes the unknown word's), a word end adds at most beta (and unkScore if
   * positive) and gives back the look-ahead, a hotword step adds at most twice the largest
   * weight. Infinity where no bound is known (a negative LM weight).
   */
  private gainBound(parent: number, delimiter: boolean): number {
    if (this.alpha < 0 || this.wordLmAlpha < 0) return Infinity;
    const st = this.store;
    let g = this.hotBound + Math.max(0, this.labelBonus);
    if (delimiter) {
      if (st.wordLen[parent]! > 0) g += this.beta + Math.max(0, this.unkScore) - st.lookahead[parent]!;
    } else if (this.wordLm) {
      // At a word start the look-ahead can rise from 0 to at most lookaheadMax; inside a
      // word it only falls, unless the word leaves the trie and gets the unknown word's.
      g += st.wordLen[parent] === 0 ? this.lookaheadMax : Math.max(0, this.unkLookahead - st.lookahead[parent]!);
    }
    return g;
  }

  /** Makes the node of parent + label c (a dead one where the lexicon forbids it). */
  private extend(parent: number, c: number): number {
    const child = this.store.make(parent, c);
    if (!this.advance(child, parent, c)) this.store.dead[child] = 1;
    return child;
  }

  /**
   * Turns row `child`, holding a copy of `parent`'s state, into the state of parent + label
   * c: LM, lexicon, hotwords and the score. False where the lexicon forbids the prefix.
   */
  private advance(child: number, parent: number, c: number): boolean {
    const d = this.d;
    const st = this.store;
    if (c === d.labels.delimiter) {
      if (st.wordLen[parent]! > 0) {
        const w = this.closeWord(parent, st.lmState[child]!, st.wordLmState[child]!);
        if (!w) return false;
        st.lmRaw[child]! += w.lm;
        st.lmState[child] = w.lmState;
        st.wordLmRaw[child]! += w.wordLm;
        st.wordLmState[child] = w.wordLmState;
        st.words[child]! += 1;
        st.oovs[child]! += w.oovs;
      }
      st.trie[child] = d.trie ? 0 : -1;
      st.wordLen[child] = 0;
    } else {
      if (d.trie) {
        const tn = st.trie[parent]!;
        const next = tn >= 0 ? d.trie.child(tn, c) : -1;
        if (next < 0 && d.constrained) return false;
        st.trie[child] = next;
      }
      st.wordLen[child]! += 1;
    }
    st.depth[child]! += 1;
    if (this.charLm) {
      d.lm!.score(st.lmState[child]!, d.labelLmId[c]!, this.step1);
      st.lmRaw[child]! += this.step1.logProb;
      st.lmState[child] = this.step1.state;
    }
    let bonus = 0;
    if (d.hotwords) {
      const h = this.loadHot(child);
      d.hotwords.advance(h, c);
      st.hotNode[child] = h.node;
      st.hotBefore[child] = h.before;
      st.hotCommitted[child] = h.committed;
      st.hotBase[child] = h.base;
      bonus = d.hotwords.bonus(h);
    }
    let lookahead = 0;
    if (this.wordLm && st.wordLen[child]! > 0) {
      const tn = st.trie[child]!;
      lookahead = tn >= 0 ? this.alpha * d.trie!.bestBelow(tn) : this.unkLookahead;
    }
    st.lookahead[child] = lookahead;
    st.score[child] = this.alpha * st.lmRaw[child]! + this.wordLmAlpha * st.wordLmRaw[child]! + this.beta * st.words[child]! + this.labelBonus * st.depth[child]!
      + this.unkScore * st.oovs[child]! + bonus + lookahead;
    return true;
  }

  /**
   * The word LM step for the word ending at trie node `tn` after LM state `lmState`; a
   * zero step without a word LM; null where the lexicon forbids the word. Sets this.oov.
   */
  private wordScore(lmState: number, tn: number): LmStep | null {
    const d = this.d;
    const w = tn >= 0 ? d.trie!.word(tn) : -1;
    if (d.constrained && w < 0) return null;
    this.oov = w < 0 || d.trieLmId[w] === d.lm?.unkId;
    const out = this.step1;
    if (!this.wordLm) {
      out.logProb = 0;
      out.state = lmState;
      return out;
    }
    const lm = d.lm!;
    return lm.score(lmState, w >= 0 ? d.trieLmId[w]! : lm.unkId, out);
  }

  /**
   * What ending the word in progress at node `end` adds, after LM states `lmState` and
   * `wordLmState`: the word LM's step (a zero step without one), the step of the word LM
   * beside a character LM, and the words unknown to them; null where the lexicon forbids
   * the word. One object, reused.
   */
  private closeWord(end: number, lmState: number, wordLmState: number): ClosedWord | null {
    const c = this.closed;
    const step = this.wordScore(lmState, this.store.trie[end]!);
    if (!step) return null;
    c.lm = step.logProb;
    c.lmState = step.state;
    c.oovs = this.wordLm && this.oov ? 1 : 0;
    c.wordLm = 0;
    c.wordLmState = wordLmState;
    if (this.d.wordLm) {
      const side = this.sideWordScore(end, wordLmState);
      c.wordLm = side.logProb;
      c.wordLmState = side.state;
      if (this.oov) c.oovs++;
    }
    return c;
  }

  /**
   * The word LM beside a character LM: its step for the word that ends at node `end` (its
   * last wordLen labels) after state `state`; a zero step for a word it does not score (all
   * punctuation, folded). Sets this.oov.
   */
  private sideWordScore(end: number, state: number): LmStep {
    const d = this.d;
    const st = this.store;
    const lm = d.wordLm!;
    const labels = d.labels.labels;
    let word = '';
    for (let n = end, k = st.wordLen[end]!; k > 0; k--, n = st.parent(n)) word = labels[st.label(n)]! + word;
    const key = d.options.wordLmFolded ? foldWord(word) : word;
    const out = this.step1;
    this.oov = false;
    if (key === '') {
      out.logProb = 0;
      out.state = state;
      return out;
    }
    const id = lm.id(key);
    this.oov = id === lm.unkId;
    return lm.score(state, id, out);
  }

  private loadHot(node: number): HotwordState {
    const st = this.store;
    const h = this.hot;
    h.node = st.hotNode[node]!;
    h.before = st.hotBefore[node]!;
    h.committed = st.hotCommitted[node]!;
    h.base = st.hotBase[node]!;
    return h;
  }

  /** Final scores of the beam (last word and end of sentence scored), best `nBest` distinct texts. */
  private results(nBest: number): BeamHypothesis[] {
    const d = this.d;
    const st = this.store;
    const finals: { node: number; score: number; acoustic: number; lm: number }[] = [];
    for (let i = 0; i < this.beamSize; i++) {
      const node = this.beamNode[i]!;
      const acoustic = logAddExp(this.beamPb[i]!, this.beamPnb[i]!);
      let lmRaw = st.lmRaw[node]!;
      let words = st.words[node]!;
      let oovs = st.oovs[node]!;
      let lmState = st.lmState[node]!;
      let wordLmRaw = st.wordLmRaw[node]!;
      let wordLmState = st.wordLmState[node]!;
      if (st.wordLen[node]! > 0) {
        const w = this.closeWord(node, lmState, wordLmState);
        if (!w) continue;
        lmRaw += w.lm;
        lmState = w.lmState;
        wordLmRaw += w.wordLm;
        wordLmState = w.wordLmState;
        words++;
        oovs += w.oovs;
      }
      if (d.lm) lmRaw += d.lm.finish(lmState);
      if (d.wordLm) wordLmRaw += d.wordLm.finish(wordLmState);
      let bonus = 0;
      if (d.hotwords) {
        const h = this.loadHot(node);
        d.hotwords.finish(h);
        bonus = d.hotwords.bonus(h);
      }
      const score = acoustic + this.alpha * lmRaw + this.wordLmAlpha * wordLmRaw + this.beta * words + this.labelBonus * st.depth[node]! + this.unkScore * oovs + bonus;
      finals.push({ node, score, acoustic, lm: d.lm ? lmRaw : 0 });
    }
    finals.sort((a, b) => b.score - a.score || a.node - b.node);
    const out: BeamHypothesis[] = [];
    const seen = new Set<string>();
    for (const f of finals) {
      const h = this.hypothesis(f.node, f.score, f.acoustic, f.lm);
      if (seen.has(h.text!)) continue;
      seen.add(h.text!);
      out.push(h);
      if (out.length >= nBest) break;
    }
    if (out.length === 0) {
      // Every prefix ended inside a word the lexicon does not allow: return the empty labelling.
      out.push({ tokens: [], timesteps: [], score: -Infinity, text: '', words: [], acousticScore: -Infinity, lmScore: 0 });
    }
    return out;
  }

  /** A hypothesis with its text, word timings and confidences. */
  private hypothesis(node: number, score: number, acousticScore: number, lmScore: number): BeamHypothesis {
    const d = this.d;
    const st = this.store;
    const path = st.path(node);
    const labels = d.labels.labels;
    const delim = d.labels.delimiter;
    const tokens = path.map((n) => st.label(n));
    // Node timings are per prefix, not per path: a label inserted on little evidence can
    // claim a later frame than the prefix after it entered at. A label starts no earlier
    // than the one before it, and ends before the next one starts.
    const timesteps: number[] = [];
    for (const n of path) timesteps.push(Math.max(st.start[n]!, timesteps.at(-1) ?? 0));
    const ends = path.map((n, i) => {
      const next = i + 1 < path.length ? timesteps[i + 1]! - 1 : Infinity;
      return Math.max(timesteps[i]!, Math.min(st.end[n]!, next));
    });
    const words: WordTiming[] = [];
    let logConf = 0;
    let w = -1;
    let text = '';
    let peaks = 0;
    for (let i = 0; i <= path.length; i++) {
      const isBoundary = i === path.length || tokens[i] === delim;
      if (isBoundary) {
        if (w >= 0) {
          words.push({ word: text, startFrame: timesteps[w]!, endFrame: ends[i - 1]!, confidence: Math.exp(peaks / (i - w)) });
          w = -1;
          text = '';
          peaks = 0;
        }
        continue;
      }
      if (w < 0) w = i;
      text += labels[tokens[i]!]!;
      peaks += st.peak[path[i]!]!;
    }
    for (const n of path) logConf += st.peak[n]!;
    const joined = delim >= 0 ? words.map((x) => x.word).join(' ') : tokens.map((t) => labels[t]!).join('');
    return {
      tokens, timesteps, score, text: joined, words,
      confidence: path.length > 0 ? Math.exp(logConf / path.length) : 1,
      acousticScore, lmScore,
    };
  }

  private growCandidates(n: number): void {
    this.candNode = grown(this.candNode, n);
    this.candPb = grown(this.candPb, n);
    this.candPnb = grown(this.candPnb, n);
    this.candExt = grown(this.candExt, n);
    this.candRep = grown(this.candRep, n);
    this.candTotal = grown(this.candTotal, n);
    this.order = grown(this.order, n);
  }
}

/** One-call form: `new CtcBeamSearchDecoder(labels, options).decode(logits, shape, lengths)`. */
export function ctcBeamSearch(logits: ArrayLike<number>, shape: readonly [number, number, number],
  labels: readonly string[], options: CtcBeamSearchOptions = {}, lengths?: ArrayLike<number>): BeamHypothesis[][] {
  return new CtcBeamSearchDecoder(labels, options).decode(logits, shape, lengths);
}

function checkOptions(o: Resolved): void {
  const positiveInt = (name: keyof Resolved, v: number): void => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`beam search: ${name} must be an integer >= 1, got ${v}`);
  };
  positiveInt('beamWidth', o.beamWidth);
  positiveInt('nBest', o.nBest);
  if (!Number.isInteger(o.tokenTopK) || o.tokenTopK < 0) throw new Error(`beam search: tokenTopK must be an integer >= 0, got ${o.tokenTopK}`);
  if (!(o.tokenCumulativeProb > 0 && o.tokenCumulativeProb <= 1)) throw new Error(`beam search: tokenCumulativeProb must be in (0, 1], got ${o.tokenCumulativeProb}`);
  if (Number.isNaN(o.tokenMinLogProb)) throw new Error('beam search: tokenMinLogProb is NaN');
  if (!(o.beamThreshold > 0)) throw new Error(`beam search: beamThreshold must be > 0, got ${o.beamThreshold}`);
  for (const k of ['alpha', 'beta', 'labelBonus', 'unkScore', 'hotwordWeight', 'wordLmAlpha'] as const) if (!Number.isFinite(o[k])) throw new Error(`beam search: ${k} must be finite, got ${o[k]}`);
  if (o.lmUnit !== 'word' && o.lmUnit !== 'char') throw new Error(`beam search: lmUnit must be 'word' or 'char', got ${String(o.lmUnit)}`);
}
