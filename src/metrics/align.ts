/**
 * Levenshtein alignment of two sequences with unit costs, the basis of WER and CER.
 *
 * One dynamic-programming table gives the edit distance; a backtrace through it gives one
 * minimum-cost alignment, from which hits, substitutions, deletions and insertions are
 * counted. Several alignments can share the minimum cost (their error totals agree, their
 * split into S/D/I may not); the backtrace picks the same one every time, preferring, from
 * the end of both sequences backwards, a hit, then a substitution, then a deletion, then an
 * insertion, as Kaldi's compute-wer and most scorers do.
 */
import type { EditCounts } from '../util/edit-counts.js';

/** What one aligned pair is: `hit` (equal items), `sub`, `del` (reference item missing from the hypothesis) or `ins` (extra hypothesis item). */
export type EditOp = 'hit' | 'sub' | 'del' | 'ins';

/** One step of an alignment; `ref` is null for an insertion, `hyp` null for a deletion. */
export interface AlignedPair<T> {
  op: EditOp;
  ref: T | null;
  hyp: T | null;
}

/** Edit counts of one alignment, or totals over many (see {@link sumCounts}). */
export type { EditCounts };

/** A minimum-cost alignment with its counts. */
export interface Alignment<T> extends EditCounts {
  /** The aligned pairs in order; reading the non-null `ref`s gives the reference back, and likewise `hyp`. */
  pairs: AlignedPair<T>[];
}

/** Counts that are all zero: the identity of {@link sumCounts}. */
export function zeroCounts(): EditCounts {
  return { hits: 0, substitutions: 0, deletions: 0, insertions: 0, errors: 0, refLength: 0, hypLength: 0 };
}

/** Adds edit counts field by field (corpus totals from per-utterance counts). */
export function sumCounts(counts: Iterable<EditCounts>): EditCounts {
  const t = zeroCounts();
  for (const c of counts) {
    t.hits += c.hits;
    t.substitutions += c.substitutions;
    t.deletions += c.deletions;
    t.insertions += c.insertions;
    t.errors += c.errors;
    t.refLength += c.refLength;
    t.hypLength += c.hypLength;
  }
  return t;
}

/**
 * Error rate = errors / reference length (a corpus rate is the sum of errors over the sum
 * of reference lengths, not a mean of per-utterance rates). An empty reference gives 0 when
 * the hypothesis is empty too and Infinity otherwise; it can exceed 1 with insertions.
 */
export function errorRate(counts: EditCounts): number {
  if (counts.refLength === 0) return counts.errors === 0 ? 0 : Infinity;
  return counts.errors / counts.refLength;
}

/**
 * Aligns `hyp` against `ref` with unit costs and counts the edits. Time and memory are
 * O(|ref| * |hyp|), which is fine for utterances (a 1,000 x 1,000 character pair takes 4 MB).
 * @param equals item equality; `Object.is` by default (strings compare by value).
 */
export function align<T>(ref: readonly T[], hyp: readonly T[], equals: (a: T, b: T) => boolean = Object.is): Alignment<T> {
  const n = ref.length;
  const m = hyp.length;
  const w = m + 1;
  // cost: (n+1) x (m+1), cost[i*w + j] = distance between ref[:i] and hyp[:j].
  const cost = new Uint32Array((n + 1) * w);
  for (let j = 0; j <= m; j++) cost[j] = j;
  for (let i = 1; i <= n; i++) {
    const row = i * w;
    const prev = row - w;
    cost[row] = i;
    const r = ref[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const diag = cost[prev + j - 1]! + (equals(r, hyp[j - 1]!) ? 0 : 1);
      const del = cost[prev + j]! + 1;
      const ins = cost[row + j - 1]! + 1;
      cost[row + j] = Math.min(diag, del, ins);
    }
  }

  const pairs: AlignedPair<T>[] = [];
  const counts = zeroCounts();
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const c = cost[i * w + j]!;
    if (i > 0 && j > 0) {
      const d = cost[(i - 1) * w + j - 1]!;
      const r = ref[i - 1]!;
      const h = hyp[j - 1]!;
      if (d === c && equals(r, h)) {
        pairs.push({ op: 'hit', ref: r, hyp: h });
        counts.hits++;
        i--; j--;
        continue;
      }
      if (d + 1 === c && !equals(r, h)) {
        pairs.push({ op: 'sub', ref: r, hyp: h });
        counts.substitutions++;
        i--; j--;
        continue;
      }
    }
    if (i > 0 && cost[(i - 1) * w + j]! + 1 === c) {
      pairs.push({ op: 'del', ref: ref[i - 1]!, hyp: null });
      counts.deletions++;
      i--;
    } else {
      pairs.push({ op: 'ins', ref: null, hyp: hyp[j - 1]! });
      counts.insertions++;
      j--;
    }
  }
  pairs.reverse();
  counts.errors = counts.substitutions + counts.deletions + counts.insertions;
  counts.refLength = n;
  counts.hypLength = m;
  return { ...counts, pairs };
}
