/**
 * sayre: end-to-end speech and text-line recognition with recurrent networks.
 *
 * The root export holds what most users need: load a recogniser and transcribe, decode,
 * train and evaluate, the losses and the front end. Everything else is under subpaths
 * (`sayre/train`, `sayre/nn`, `sayre/lm`, `sayre/audio`, `sayre/image`, `sayre/backend`,
 * `sayre/decode`, `sayre/model`, ...): see docs/architecture.md.
 *
 * ```ts
 * import { Recognizer } from 'sayre';
 * const rec = Recognizer.load();               // the bundled English model
 * console.log(rec.transcribeFile('hello.wav').text);
 * ```
 * @packageDocumentation
 */
// Recognise: load a model directory, transcribe (speech or text lines), serve.
export { Recognizer } from './recognizer/recognizer.js';
export type { DecodeOptions, RecognizerOptions } from './recognizer/recognizer.js';
// Live audio: recognizer.createStream() (RecognizerStream, StreamResult: sayre/recognizer), events for shells.
export type { StreamOptions } from './recognizer/recognizer-stream.js';
export { StreamSession } from './recognizer/stream-session.js';
export type { StreamEvent } from './recognizer/stream-session.js';
export { LineRecognizer } from './recognizer/line-recognizer.js';
export { bundledModelNames } from './recognizer/default-model.js';
export { loadModelDir } from './model/io/model-dir.js';
export type { LoadedModel } from './model/io/model-dir.js';
export type { OutputMatrix, TimedToken, TimedWord, Transcript } from './decode/transcript.js';
export { startServer } from './server/server.js';
export type { ServeOptions } from './server/server.js';
// Decode: one factory for every model kind, the prefix beam search as a stream, LMs.
export { createDecoder } from './decode/decoder.js';
export type { Decoder, DecoderConfig, RnntSearch } from './decode/decoder.js';
export type { AcousticOutput, DecodableModel } from './decode/acoustic-output.js';
export type { Hypothesis, WordTiming } from './decode/hypothesis.js';
export { ctcGreedyDecode } from './decode/greedy.js';
export type { CtcGreedyOptions } from './decode/greedy.js';
export { CtcBeamSearchDecoder, CtcBeamSearchStream } from './decode/prefix-beam-search.js';
export type { CtcBeamSearchOptions } from './decode/prefix-beam-search.js';
export { readArpa } from './decode/lm/arpa-reader.js';
export type { LanguageModel } from './decode/lm/language-model.js';
// Train and evaluate.
export { trainingRun } from './train/run/training-run.js';
export type { TrainingRunOptions, TrainingRunResult } from './train/run/training-run.js';
export type { RunConfig, TrainingRecipe } from './train/run/run-config.js';
export { scoreTranscripts, cer, wer } from './metrics/error-rate.js';
export type { CorpusScore } from './metrics/error-rate.js';
export { readManifest } from './data/manifest.js';
export type { ManifestEntry } from './data/manifest.js';
export { createModel } from './model/model-kind.js';
export type { ModelKind } from './model/model-kind.js';
// The losses and the front end.
export { ctcLoss } from './losses/ctc.js';
export type { CtcLossOptions, CtcLossResult, CtcReduction } from './losses/ctc.js';
export { rnntLoss } from './losses/rnnt.js';
export type { RnntLossOptions, RnntLossResult } from './losses/rnnt.js';
export { fbank } from './audio/fbank.js';
export type { FbankOptions } from './audio/fbank.js';
export { readWav, decodeWav } from './audio/wav-read.js';
export type { Audio } from './audio/wav-read.js';
export type { Features } from './util/features.js';
// Backends.
export { createBackend } from './backend/index.js';
export type { Backend, BackendName } from './backend/index.js';
