/**
 * sayre/decode: every decoder (best path, CTC prefix beam search, RNN-T searches), the decoder factory, hypotheses to transcripts.
 * @packageDocumentation
 */
export type { Hypothesis, WordTiming } from './hypothesis.js';
export type { EncoderOutput, PredictorStep, TransducerModel } from './rnnt-model.js';
export { RnntGreedyStream, rnntGreedyDecode, rnntGreedyDecodeBatch } from './rnnt-greedy.js';
export type { RnntGreedyOptions } from './rnnt-greedy.js';
export { RnntBeamStream, rnntBeamSearch } from './rnnt-beam.js';
export type { RnntGravesBeamOptions } from './rnnt-beam.js';
export { RnntModifiedBeamStream, rnntModifiedBeamSearch } from './rnnt-modified-beam.js';
export type { RnntBeamOptions } from './rnnt-beam-common.js';
export type { RnntLmFusion } from './rnnt-fusion.js';
export { TransducerWordScorer, wordFusion } from './rnnt-word-fusion.js';
export type { TransducerWordScorerOptions } from './rnnt-word-fusion.js';
export { transducerDecode, transducerDecodeBatch, transducerDecodeMany, transducerDecodeNBest, transducerSearch } from './rnnt-decode.js';
export type { TransducerDecodeOptions } from './rnnt-decode.js';
export { collapse, collapseWithStarts } from './collapse.js';
export { ctcGreedyDecode } from './greedy.js';
export type { CtcGreedyOptions } from './greedy.js';
export { toTranscript } from './transcript.js';
export { DEFAULT_RNNT_BEAM, createDecoder, wantsBeamSearch } from './decoder.js';
export type { Decoder, DecoderConfig, RnntSearch } from './decoder.js';
export type { AcousticOutput, AcousticStream, CtcOutput, DecodableModel, OutputKind, StreamableModel, TransducerOutput } from './acoustic-output.js';
export { BestPathStream, CtcBeamStream, TransducerStream, withPathConfidence, withWordConfidence } from './decoder-stream.js';
export type { DecoderStream } from './decoder-stream.js';
export type { OutputMatrix, TimedHypothesis, TimedToken, TimedWord, Transcript, TranscriptContext } from './transcript.js';
export { bestPaths } from './best-path.js';
export type { BestPathHypothesis, BestPathOptions } from './best-path.js';
export { CtcBeamSearchDecoder, CtcBeamSearchStream, ctcBeamSearch, DEFAULT_WORD_LM_ALPHA } from './prefix-beam-search.js';
export type { BeamHypothesis, CtcBeamSearchOptions } from './prefix-beam-search.js';
export { parseHotwords } from './hotwords.js';
export type { Hotword } from './hotwords.js';
export { gridSearchLmWeights, tuneLmWeights } from './tune-lm-weights.js';
export type { GridPoint, TuneOptions, TunePoint, TuneResult, TuneUtterance } from './tune-lm-weights.js';
