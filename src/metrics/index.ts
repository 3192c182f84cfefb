/**
 * sayre/metrics: WER / CER with alignments, score reports, and a VAD's frame and endpoint scores.
 * @packageDocumentation
 */
export { align, errorRate, sumCounts, zeroCounts } from './align.js';
export type { AlignedPair, Alignment, EditCounts, EditOp } from './align.js';
export { alignChars, alignWords, cer, formatAlignment, scoreTranscripts, splitChars, splitWords, wer } from './error-rate.js';
export type { CharOptions, CorpusScore, TranscriptPair, UtteranceScore } from './error-rate.js';
export { formatErrorSummary, formatScoreReport, formatScoreSummary, scoreReportJsonl } from './report.js';
export { countVadFrames, vadRates, zeroVadCounts } from './vad-scores.js';
export type { VadCounts, VadRates } from './vad-scores.js';
export { countEndpoints, zeroEndpointCounts } from './endpoint-scores.js';
export type { EndpointCounts } from './endpoint-scores.js';
