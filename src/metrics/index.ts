/**
 * sayre/metrics: WER / CER with alignments, and score reports.
 * @packageDocumentation
 */
export { align, errorRate, sumCounts, zeroCounts } from './align.js';
export type { AlignedPair, Alignment, EditCounts, EditOp } from './align.js';
export { alignChars, alignWords, cer, formatAlignment, scoreTranscripts, splitChars, splitWords, wer } from './error-rate.js';
export type { CharOptions, CorpusScore, TranscriptPair, UtteranceScore } from './error-rate.js';
export { formatErrorSummary, formatScoreReport, formatScoreSummary, scoreReportJsonl } from './report.js';
