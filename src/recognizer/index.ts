/**
 * sayre/recognizer: the recognisers, live streams and their events, bundled models, decoders from CLI-style setups, transcription JSON.
 * @packageDocumentation
 */
export { Recognizer } from './recognizer.js';
export type { DecodeOptions, RecognizerOptions } from './recognizer.js';
export { RecognizerStream } from './recognizer-stream.js';
export type { StreamHost, StreamOptions, StreamResult } from './recognizer-stream.js';
export { decodeSessions, StreamSession } from './stream-session.js';
export type { FinalEvent, PartialEvent, StreamEvent } from './stream-session.js';
export { decoderConfigOf, decoderFor } from './beam-decoder.js';
export type { BeamDecoderSetup, DecoderSource } from './beam-decoder.js';
export { BUNDLED_LINE_MODEL_NAME, bundledLineModelDir, LineRecognizer } from './line-recognizer.js';
export type { PageTranscript } from './line-recognizer.js';
export { BUNDLED_MODEL_NAME, BUNDLED_STREAMING_MODEL_NAME, bundledModelDir, bundledModelNames, bundledModelPath, defaultStreamingModelDir, resolveModelDir } from './default-model.js';
export { decodeUtterance } from './transcription-json.js';
export type { DecodedUtterance, TranscriptionJson, WordJson } from './transcription-json.js';
export type { LongTranscript } from './recognizer.js';
export { buildCues, formatSrt, formatVtt } from './subtitles.js';
export type { Cue, CueOptions, CueWord } from './subtitles.js';
export { transcribeSegments, transcribeStream } from './long-audio.js';
export type { LongAudioOptions, TranscribedSegment } from './long-audio.js';
