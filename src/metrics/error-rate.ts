/**
 * Word and character error rates over transcripts, per utterance and for a corpus.
 *
 * Text is compared as given (no case folding or punctuation removal: normalise before
 * scoring if the task wants it), except that it is Unicode-NFC-normalised and whitespace is
 * normalised: words are the runs of non-whitespace characters; characters are Unicode code
 * points of the text with each whitespace run made one space and the ends trimmed. By
 * default CER counts those spaces as characters (as jiwer, torchmetrics and ESPnet's
 * `<space>` tokens do), so a missing word boundary is one error; `includeSpaces: false`
 * scores the characters alone.
 */
import { align, errorRate, sumCounts } from './align.js';
import type { Alignment, EditCounts } from './align.js';

/** How text is cut into characters for CER. */
export interface CharOptions {
  /** Count (normalised) spaces between words as characters; default true. */
  includeSpaces?: boolean;
}

/** The words of a text: its runs of non-whitespace characters. */
export function splitWords(text: string): string[] {
  const t = text.normalize('NFC').trim();
  return t === '' ? [] : t.split(/\s+/u);
}

/** The characters (code points) of a text, whitespace normalised as described in the module doc. */
export function splitChars(text: string, options: CharOptions = {}): string[] {
  const words = splitWords(text);
  return Array.from(options.includeSpaces === false ? words.join('') : words.join(' '));
}

/** Word-level alignment of one hypothesis against its reference. */
export function alignWords(ref: string, hyp: string): Alignment<string> {
  return align(splitWords(ref), splitWords(hyp));
}

/** Character-level alignment of one hypothesis against its reference. */
export function alignChars(ref: string, hyp: string, options: CharOptions = {}): Alignment<string> {
  return align(splitChars(ref, options), splitChars(hyp, options));
}

function asList(x: string | readonly string[]): readonly string[] {
  return typeof x === 'string' ? [x] : x;
}

function corpusRate(refs: string | readonly string[], hyps: string | readonly string[], one: (r: string, h: string) => EditCounts): number {
  const r = asList(refs);
  const h = asList(hyps);
  if (r.length !== h.length) throw new Error(`error rate: ${r.length} references but ${h.length} hypotheses`);
  return errorRate(sumCounts(r.map((ref, i) => one(ref, h[i]!))));
}

/**
 * Word error rate of one utterance or a corpus (total errors / total reference words).
 * See {@link errorRate} for empty references.
 */
export function wer(refs: string | readonly string[], hyps: string | readonly string[]): number {
  return corpusRate(refs, hyps, alignWords);
}

/** Character error rate of one utterance or a corpus (total errors / total reference characters). */
export function cer(refs: string | readonly string[], hyps: string | readonly string[], options: CharOptions = {}): number {
  return corpusRate(refs, hyps, (r, h) => alignChars(r, h, options));
}

/** A reference transcript and a recogniser's hypothesis for one utterance. */
export interface TranscriptPair {
  ref: string;
  hyp: string;
  /** Utterance id, carried through to the report. */
  id?: string;
}

/** Scores of one utterance. */
export interface UtteranceScore extends TranscriptPair {
  words: Alignment<string>;
  chars: Alignment<string>;
}

/** Per-utterance scores and corpus totals. */
export interface CorpusScore {
  utterances: UtteranceScore[];
  /** Word counts summed over utterances. */
  words: EditCounts;
  /** Character counts summed over utterances. */
  chars: EditCounts;
  /** errorRate(words) */
  wer: number;
  /** errorRate(chars) */
  cer: number;
}

/** Scores a corpus: word and character alignments of every utterance, and the totals. */
export function scoreTranscripts(pairs: Iterable<TranscriptPair>, options: CharOptions = {}): CorpusScore {
  const utterances: UtteranceScore[] = [];
  for (const p of pairs) {
    utterances.push({ ...p, words: alignWords(p.ref, p.hyp), chars: alignChars(p.ref, p.hyp, options) });
  }
  const words = sumCounts(utterances.map((u) => u.words));
  const chars = sumCounts(utterances.map((u) => u.chars));
  return { utterances, words, chars, wer: errorRate(words), cer: errorRate(chars) };
}

const OP_MARK = { hit: ' ', sub: 'S', del: 'D', ins: 'I' } as const;

/**
 * Three lines showing an alignment in columns, sclite style: `REF:`, `HYP:` and the edit
 * marks (S, D, I). A missing item is shown as asterisks; a space item as `␣`.
 */
export function formatAlignment(alignment: Alignment<string>): string {
  const pad = (s: string, width: number): string => s + ' '.repeat(width - [...s].length);
  const show = (s: string | null, width: number): string => pad(s === null ? '*'.repeat(width) : s.replace(/\s/gu, '␣'), width);
  const refs: string[] = [];
  const hyps: string[] = [];
  const marks: string[] = [];
  for (const p of alignment.pairs) {
    const width = Math.max(1, [...(p.ref ?? '')].length, [...(p.hyp ?? '')].length);
    refs.push(show(p.ref, width));
    hyps.push(show(p.hyp, width));
    marks.push(pad(OP_MARK[p.op], width));
  }
  return [`REF: ${refs.join(' ')}`, `HYP: ${hyps.join(' ')}`, `     ${marks.join(' ')}`]
    .map((l) => l.trimEnd())
    .join('\n');
}
