/**
 * Human- and machine-readable forms of a {@link CorpusScore}: the one-line summaries that
 * `sayre eval` prints, and the per-utterance report it writes (text with alignments, or
 * JSON lines).
 */
import { errorRate } from './align.js';
import type { EditCounts } from './align.js';
import { formatAlignment } from './error-rate.js';
import type { CorpusScore } from './error-rate.js';

/** Kaldi's compute-wer summary: `%WER 12.50 [ 5 / 40, 1 ins, 2 del, 2 sub ]`. */
export function formatErrorSummary(name: string, counts: EditCounts): string {
  const rate = errorRate(counts);
  const shown = Number.isFinite(rate) ? (100 * rate).toFixed(2) : 'inf';
  return `%${name} ${shown} [ ${counts.errors} / ${counts.refLength}, ${counts.insertions} ins, ${counts.deletions} del, ${counts.substitutions} sub ]`;
}

/** The two summary lines (WER, then CER) of a scored corpus. */
export function formatScoreSummary(score: CorpusScore): string {
  return `${formatErrorSummary('WER', score.words)}\n${formatErrorSummary('CER', score.chars)}`;
}

/**
 * A text report: the summary, then per utterance its id, its word and character counts
 * and its word alignment, worst utterances (most word errors) first.
 */
export function formatScoreReport(score: CorpusScore): string {
  const blocks = [formatScoreSummary(score)];
  const order = score.utterances.map((_, i) => i).sort((a, b) => score.utterances[b]!.words.errors - score.utterances[a]!.words.errors || a - b);
  for (const i of order) {
    const u = score.utterances[i]!;
    blocks.push([
      `${u.id ?? `#${i + 1}`}: ${formatErrorSummary('WER', u.words).slice(1)}; ${formatErrorSummary('CER', u.chars).slice(1)}`,
      formatAlignment(u.words),
    ].join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

/** Counts without the alignment, for JSON. */
function countsOnly(c: EditCounts): EditCounts {
  const { hits, substitutions, deletions, insertions, errors, refLength, hypLength } = c;
  return { hits, substitutions, deletions, insertions, errors, refLength, hypLength };
}

/**
 * One JSON object per utterance and line, in corpus order: id, ref, hyp, word and
 * character counts, and the word alignment as [ref, hyp] pairs (null where missing).
 */
export function scoreReportJsonl(score: CorpusScore): string {
  return score.utterances.map((u, i) => JSON.stringify({
    id: u.id ?? `#${i + 1}`,
    ref: u.ref,
    hyp: u.hyp,
    words: countsOnly(u.words),
    chars: countsOnly(u.chars),
    alignment: u.words.pairs.map((p) => [p.ref, p.hyp]),
  })).join('\n') + (score.utterances.length > 0 ? '\n' : '');
}
