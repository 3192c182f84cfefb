/**
 * sayre: end-to-end sequence transcription with recurrent networks.
 * This is the one public entry point; every public symbol is exported from here.
 * @packageDocumentation
 */
export type { Hypothesis, WordTiming } from './decode/hypothesis.js';
export type { Backend, BackendName, BackendOptions, NativeBackendOptions, WasmBackendOptions } from './backend/index.js';
export { JsBackend, NativeBackend, WasmBackend, createBackend, getBackend, initBackend, nativeAvailable, nativeUnavailableReason, relaxedSimdSupported, setBackend, simdSupported } from './backend/index.js';
export { align, errorRate, sumCounts, zeroCounts } from './metrics/align.js';
export type { AlignedPair, Alignment, EditCounts, EditOp } from './metrics/align.js';
export { alignChars, alignWords, cer, formatAlignment, scoreTranscripts, splitChars, splitWords, wer } from './metrics/error-rate.js';
export type { CharOptions, CorpusScore, TranscriptPair, UtteranceScore } from './metrics/error-rate.js';
export { batchEpoch, batchFrames, batchPlanFingerprint, resumeEpoch } from './data/batching.js';
export type { BatchIndices, BatchingOptions } from './data/batching.js';
export { readTrainingLog, TrainingLogWriter } from './train/log.js';
export type { DevRecord, EventRecord, LogRecord, TrainingLogContents, TrainingLogWriterOptions, TrainStepRecord } from './train/log.js';
export { trainingCurves, trainingPlotSvg, writeTrainingPlot } from './train/plot.js';
export type { TrainingCurves, TrainingPlotOptions } from './train/plot.js';
export { startProgress } from './cli/progress.js';
export type { Progress, ProgressOptions, ProgressValues } from './cli/progress.js';
export { decodeWav, readWav, readWavAsync, loadAudio } from './audio/wav-read.js';
export type { Audio } from './audio/wav-read.js';
export { WavError } from './audio/wav-header.js';
export type { WavEncoding, WavErrorKind } from './audio/wav-header.js';
export { encodeWav, writeWav } from './audio/wav-write.js';
export type { WavWriteFormat } from './audio/wav-write.js';
export { resample } from './audio/resample.js';
export type { ResampleOptions } from './audio/resample.js';
export { fbank, FbankExtractor } from './audio/fbank.js';
export type { FbankOptions } from './audio/fbank.js';
export type { Features } from './audio/features.js';
export type { WindowType } from './audio/feature-window.js';
export { melBanks, melScale, inverseMelScale } from './audio/mel-banks.js';
export { addDeltas } from './audio/deltas.js';
export { Cmvn, CmvnAccumulator } from './audio/cmvn.js';
export type { CmvnJson } from './audio/cmvn.js';
export { specAugment } from './audio/spec-augment.js';
export type { AppliedMask, SpecAugmentOptions } from './audio/spec-augment.js';
export { formatErrorSummary, formatScoreReport, formatScoreSummary, scoreReportJsonl } from './metrics/report.js';
export { normaliseText } from './data/normalise-text.js';
export type { NormaliseOptions, NormalisedText } from './data/normalise-text.js';
export { spellCardinal, spellDigits, spellOrdinal, spellYear } from './data/spell-number.js';
export { CharTokenizer, DEFAULT_ALPHABET } from './data/char-tokenizer.js';
export type { CharTokenizerJson } from './data/char-tokenizer.js';
export { formatManifest, ManifestError, parseManifest, readManifest, writeManifest } from './data/manifest.js';
export type { AugmentationRecord, ManifestEntry, ManifestReadOptions, ResolvedEntry } from './data/manifest.js';
export { writeFileAtomic } from './data/atomic-write.js';
