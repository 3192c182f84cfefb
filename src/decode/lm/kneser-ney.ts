import { NgramModel, type NgramOrder } from './ngram-model.js';
import { PairIndex, grown } from './pair-index.js';
import { foldWord } from './fold-word.js';

/** Discounts D1, D2, D3+ of one order. */
export type Discounts = [d1: number, d2: number, d3plus: number];

/** Options of {@link buildKneserNey}. */
export interface KneserNeyOptions {
  /** n of the n-gram model (>= 1). */
  order: number;
  /**
   * Count pruning: prune[k-1] drops n-grams of order k whose count (the count the
   * estimate uses: raw at the highest order, continuation count below) is <= that value.
   * Unigrams are never pruned (prune[0] must be 0). Missing orders repeat the last value;
   * default no pruning. N-grams that a kept longer n-gram needs as context or suffix stay.
   */
  prune?: readonly number[];
  /** Fixed discounts per order (index k-1) instead of the count-of-counts estimates. */
  discounts?: readonly Discounts[];
  /**
   * Discounts for an order whose estimate is unusable (a small corpus with a zero
   * count-of-counts, or an estimate outside (0, i) for D_i). Default [0.5, 1, 1.5], as
   * KenLM's --discount_fallback.
   */
  discountFallback?: Discounts;
}

/** What {@link buildKneserNey} returns. */
export interface KneserNeyResult {
  model: NgramModel;
  /** The discounts used per order (index k-1). */
  discounts: Discounts[];
  /** Orders (1-based) whose estimate was unusable and got `discountFallback`. */
  fallbackOrders: number[];
  /** Distinct n-grams counted per order, before pruning. */
  counted: number[];
}

const BOS = 1;
const EOS = 2;

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen & Goodman 1998, as
 * KenLM's lmplz does) from tokenised sentences:
 * - every sentence is wrapped in `<s>` ... `</s>`; `<unk>` is in the vocabulary;
 * - the highest order uses raw counts, lower orders continuation counts (the number of
 *   distinct words seen before the n-gram), except n-grams starting with `<s>`, which
 *   nothing precedes and which keep raw counts;
 * - three discounts per order from the count-of-counts n1..n4 of those counts:
 *   Y = n1 / (n1 + 2 n2), D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3;
 * - P(w | h) = (a(hw) - D(a(hw))) / a(h.) + gamma(h) P(w | h'), with
 *   gamma(h) = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / a(h.), and at order 1 the lower
 *   distribution is uniform over the vocabulary without `<s>` (`<unk>` included, so
 *   `<unk>` gets the uniform share of the left-over mass);
 * - gamma(h) is the back-off weight of h; where pruning removed some of h's n-grams, the
 *   back-off weight is recomputed so that P(. | h) still sums to 1.
 * `<s>` gets log10 probability -99, as in ARPA files from SRILM and KenLM.
 */
export function buildKneserNey(sentences: Iterable<readonly string[]>, options: KneserNeyOptions): KneserNeyResult {
  const n = options.order;
  if (!Number.isInteger(n) || n < 1) throw new Error(`Kneser-Ney: order must be an integer >= 1, got ${n}`);
  const prune = pruneThresholds(options.prune, n);
  const counts = countNgrams(sentences, n);
  const { vocab, index, raw } = counts;
  const size = (k: number): number => (k === 1 ? vocab.length : index[k]!.size);

  // suffix[k][e]: entry of order k-1 that drops the first word of entry e (order k >= 2);
  // bos[k][e]: whether entry e of order k starts with <s>.
  const suffix: Int32Array[] = [];
  const bos: Uint8Array[] = [];
  bos[1] = new Uint8Array(vocab.length);
  bos[1][BOS] = 1;
  for (let k = 2; k <= n; k++) {
    const idx = index[k]!;
    const suf = new Int32Array(idx.size);
    const b = new Uint8Array(idx.size);
    for (let e = 0; e < idx.size; e++) {
      const ctx = idx.a[e]!;
      const w = idx.b[e]!;
      b[e] = bos[k - 1]![ctx]!;
      const s = k === 2 ? w : index[k - 1]!.find(suffix[k - 1]![ctx]!, w);
      if (s < 0) throw new Error('Kneser-Ney: internal error, a suffix was not counted');
      suf[e] = s;
    }
    suffix[k] = suf;
    bos[k] = b;
  }

  // Adjusted counts: raw at the top order and for n-grams starting with <s>, continuation counts below.
  const adj: Float64Array[] = [];
  for (let k = 1; k <= n; k++) {
    const a = new Float64Array(size(k));
    if (k === n) for (let e = 0; e < a.length; e++) a[e] = raw[k]![e]!;
    else {
      const up = index[k + 1]!;
      for (let e = 0; e < up.size; e++) a[suffix[k + 1]![e]!]! += 1;
      for (let e = 0; e < a.length; e++) if (bos[k]![e]) a[e] = raw[k]![e]!;
    }
    if (k === 1) a[BOS] = 0; // <s> is never predicted
    adj[k] = a;
  }

  const fallback = options.discountFallback ?? [0.5, 1, 1.5];
  const discounts: Discounts[] = [];
  const fallbackOrders: number[] = [];
  for (let k = 1; k <= n; k++) {
    const fixed = options.discounts?.[k - 1];
    if (fixed) discounts.push([...fixed]);
    else {
      const d = estimateDiscounts(adj[k]!);
      if (d) discounts.push(d);
      else {
        discounts.push([...fallback]);
        fallbackOrders.push(k);
      }
    }
  }

  // Which n-grams survive pruning: over the threshold, or needed by a kept longer n-gram.
  const keep: Uint8Array[] = [];
  for (let k = 1; k <= n; k++) {
    const kp = new Uint8Array(size(k));
    const a = adj[k]!;
    for (let e = 0; e < kp.length; e++) kp[e] = k === 1 || a[e]! > prune[k - 1]! ? 1 : 0;
    keep[k] = kp;
  }
  for (let k = n; k >= 3; k--) {
    const idx = index[k]!;
    for (let e = 0; e < idx.size; e++) {
      if (!keep[k]![e]) continue;
      keep[k - 1]![idx.a[e]!] = 1;
      keep[k - 1]![suffix[k]![e]!] = 1;
    }
  }

  // Probabilities order by order (float64), then back-off weights of the contexts.
  const vocabSize = vocab.length - 1; // without <s>
  const prob: Float64Array[] = [];
  const backoff: Float64Array[] = [];
  for (let k = 1; k <= n; k++) {
    const a = adj[k]!;
    const [d1, d2, d3] = discounts[k - 1]!;
    const nctx = k === 1 ? 1 : size(k - 1);
    const ctxOf = k === 1 ? null : index[k]!.a;
    const total = new Float64Array(nctx);
    const mass = new Float64Array(nctx); // discounted mass D1 N1 + D2 N2 + D3 N3+
    for (let e = 0; e < a.length; e++) {
      const c = ctxOf ? ctxOf[e]! : 0;
      const v = a[e]!;
      total[c]! += v;
      mass[c]! += v <= 0 ? 0 : v === 1 ? d1 : v === 2 ? d2 : d3;
    }
    const p = new Float64Array(a.length);
    for (let e = 0; e < a.length; e++) {
      const c = ctxOf ? ctxOf[e]! : 0;
      const v = a[e]!;
      const disc = v <= 0 ? 0 : v === 1 ? d1 : v === 2 ? d2 : d3;
      const lower = k === 1 ? 1 / vocabSize : prob[k - 1]![suffix[k]![e]!]!;
      p[e] = (v - disc) / total[c]! + (mass[c]! / total[c]!) * lower;
    }
    if (k === 1) p[BOS] = 0;
    prob[k] = p;
    if (k >= 2) {
      // gamma(h) is the back-off weight; renormalise contexts that lost n-grams to pruning.
      const bow = new Float64Array(nctx).fill(1);
      const keptP = new Float64Array(nctx);
      const keptLower = new Float64Array(nctx);
      const pruned = new Uint8Array(nctx);
      const kp = keep[k]!;
      for (let e = 0; e < a.length; e++) {
        const c = ctxOf![e]!;
        if (kp[e]) {
          keptP[c]! += p[e]!;
          keptLower[c]! += prob[k - 1]![suffix[k]![e]!]!;
        } else pruned[c] = 1;
      }
      for (let c = 0; c < nctx; c++) {
        if (total[c] === 0) continue;
        const gamma = mass[c]! / total[c]!;
        const denom = 1 - keptLower[c]!;
        bow[c] = pruned[c] && denom > 1e-12 ? Math.max(0, 1 - keptP[c]!) / denom : gamma;
      }
      backoff[k - 1] = bow;
    }
  }

  return {
    model: assemble(vocab, index, prob, backoff, keep, n),
    discounts,
    fallbackOrders,
    counted: Array.from({ length: n }, (_, i) => size(i + 1)),
  };
}

/** Discounts from the count-of-counts of one order, or null when unusable. */
function estimateDiscounts(a: Float64Array): Discounts | null {
  const nr = [0, 0, 0, 0, 0];
  for (let e = 0; e < a.length; e++) {
    const v = a[e]!;
    if (v >= 1 && v <= 4) nr[v]!++;
  }
  const [, n1, n2, n3, n4] = nr as [number, number, number, number, number];
  if (n1 === 0 || n2 === 0 || n3 === 0 || n4 === 0) return null;
  const y = n1 / (n1 + 2 * n2);
  const d: Discounts = [1 - (2 * y * n2) / n1, 2 - (3 * y * n3) / n2, 3 - (4 * y * n4) / n3];
  for (let i = 0; i < 3; i++) if (!(d[i]! > 0 && d[i]! < i + 1)) return null;
  return d;
}

function pruneThresholds(prune: readonly number[] | undefined, n: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= n; k++) {
    const v = prune && prune.length > 0 ? prune[Math.min(k, prune.length) - 1]! : 0;
    if (!Number.isFinite(v) || v < 0) throw new Error(`Kneser-Ney: prune threshold for order ${k} must be >= 0, got ${v}`);
    if (k === 1 && v !== 0) throw new Error('Kneser-Ney: unigrams cannot be pruned (the first prune threshold must be 0)');
    out.push(v);
  }
  return out;
}

/** Raw counts of every n-gram of orders 1..n in the sentences, in hashed tables. */
function countNgrams(sentences: Iterable<readonly string[]>, n: number): {
  vocab: string[]; index: PairIndex[]; raw: Uint32Array[];
} {
  const vocab = ['<unk>', '<s>', '</s>'];
  const ids = new Map<string, number>(vocab.map((w, i) => [w, i]));
  const index: PairIndex[] = [];
  const raw: Uint32Array[] = [new Uint32Array(0), new Uint32Array(16)];
  for (let k = 2; k <= n; k++) {
    index[k] = new PairIndex(1024);
    raw[k] = new Uint32Array(1024);
  }
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  let sentenceNo = 0;
  for (const words of sentences) {
    sentenceNo++;
    prev.fill(-1);
    prev[1] = BOS;
    for (let i = 0; i <= words.length; i++) {
      let w = EOS;
      if (i < words.length) {
        const s = words[i]!;
        if (s === '<s>' || s === '</s>') throw new Error(`Kneser-Ney: sentence ${sentenceNo} contains the reserved token ${s}`);
        let id = ids.get(s);
        if (id === undefined) {
          id = vocab.length;
          ids.set(s, id);
          vocab.push(s);
        }
        w = id;
      }
      raw[1] = grown(raw[1]!, vocab.length);
      raw[1]![w]!++;
      cur[1] = w;
      for (let k = 2; k <= n; k++) {
        if (prev[k - 1]! < 0) {
          cur[k] = -1;
          continue;
        }
        const e = index[k]!.insert(prev[k - 1]!, w);
        raw[k] = grown(raw[k]!, e + 1);
        raw[k]![e]!++;
        cur[k] = e;
      }
      const t = prev;
      prev = cur;
      cur = t;
    }
  }
  raw[1] = grown(raw[1]!, vocab.length).subarray(0, vocab.length);
  return { vocab, index, raw };
}

/** The kept n-grams as an NgramModel (float32 log10), renumbering entries per order. */
function assemble(vocab: string[], index: PairIndex[], prob: Float64Array[], backoff: Float64Array[],
  keep: Uint8Array[], n: number): NgramModel {
  const orders: NgramOrder[] = [];
  let renum = new Int32Array(0);
  for (let k = 1; k <= n; k++) {
    const p = prob[k]!;
    const kp = keep[k]!;
    let m = 0;
    for (let e = 0; e < kp.length; e++) if (kp[e]) m++;
    const log10Prob = new Float32Array(m);
    const log10Backoff = new Float32Array(k < n ? m : 0);
    const idx = k === 1 ? null : new PairIndex(m);
    const next = new Int32Array(kp.length).fill(-1);
    const bow = backoff[k];
    let j = 0;
    for (let e = 0; e < kp.length; e++) {
      if (!kp[e]) continue;
      if (idx) idx.insert(renum[index[k]!.a[e]!]!, index[k]!.b[e]!);
      log10Prob[j] = k === 1 && e === BOS ? -99 : Math.log10(p[e]!);
      if (k < n && bow) log10Backoff[j] = Math.log10(bow[e]!);
      next[e] = j++;
    }
    orders.push({ index: idx, log10Prob, log10Backoff });
    renum = next;
  }
  return new NgramModel(vocab, orders);
}

/**
 * Sentences of a text for {@link buildKneserNey}: one per non-blank line, words split on
 * whitespace (with `fold`, each word as {@link foldWord} gives it, those that fold to
 * nothing dropped); at character level, the characters of the line with every run of
 * whitespace replaced by `delimiter` (default `|`, as in wav2letter's letter models).
 */
export function* corpusSentences(text: string, unit: 'word' | 'char' = 'word', delimiter = '|', fold = false): Generator<string[]> {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    if (unit === 'word') {
      const words = fold ? t.split(/\s+/).map(foldWord).filter((w) => w !== '') : t.split(/\s+/);
      if (words.length > 0) yield words;
    } else {
      const out: string[] = [];
      for (const part of t.split(/\s+/)) {
        if (out.length > 0) out.push(delimiter);
        for (const ch of part) out.push(ch);
      }
      yield out;
    }
  }
}
