/**
 * sayre/audio: audio in (WAV, MP3, FLAC, Ogg Vorbis/Opus, WebM/Opus; ffmpeg for the rest) and out (WAV), energy VAD segmentation, resampling, fbank, deltas, CMVN, SpecAugment, the speech front end (offline and as a stream), the live VAD and endpoints.
 * @packageDocumentation
 */
export { decodeWav, readWav, readWavAsync, loadAudio } from './wav-read.js';
export type { Audio } from './wav-read.js';
export { WavError } from './wav-header.js';
export type { WavEncoding, WavErrorKind } from './wav-header.js';
export { encodeWav, writeWav } from './wav-write.js';
export type { WavWriteFormat } from './wav-write.js';
export { resample } from './resample.js';
export type { ResampleOptions } from './resample.js';
export { fbank, FbankExtractor } from './fbank.js';
export type { FbankOptions } from './fbank.js';
export type { WindowType } from './feature-window.js';
export { melBanks, melScale, inverseMelScale } from './mel-banks.js';
export { addDeltas } from './deltas.js';
export { Cmvn, CmvnAccumulator } from './cmvn.js';
export type { CmvnJson } from './cmvn.js';
export { specAugment } from './spec-augment.js';
export type { AppliedMask, SpecAugmentOptions } from './spec-augment.js';
export { computeFeatures, DEFAULT_FRONT_END, frameSeconds, frontEndDim, resolveFrontEnd, unstreamableFrontEndReason } from './front-end.js';
export { slidingCmvn, SlidingCmvnStream } from './sliding-cmvn.js';
export type { SlidingCmvnOptions } from './sliding-cmvn.js';
export { utteranceCmvn } from './utterance-cmvn.js';
export type { UtteranceCmvnOptions } from './utterance-cmvn.js';
export type { FrontEndConfig } from './front-end.js';
export { AudioError } from './audio-error.js';
export type { AudioErrorKind } from './audio-error.js';
export { detectAudioFormat } from './audio-format.js';
export type { AudioFormat } from './audio-format.js';
export { decodeAudioStream } from './audio-stream.js';
export type { AudioChunk, AudioStreamOptions, FallbackDecoder } from './audio-stream.js';
export { decodeAudio } from './decode-audio.js';
export type { DecodedAudio } from './decode-audio.js';
export { openAudio, readAudio } from './read-audio.js';
export type { ReadAudioOptions } from './read-audio.js';
export { ffmpegDecoder } from './ffmpeg-decode.js';
export { energyDb, EnergySegmenter, frameEnergiesDb } from './vad.js';
export type { AudioSegment, SegmenterOptions } from './vad.js';
export { FbankStream, unstreamableFbankReason } from './fbank-stream.js';
export { ResampleStream } from './resample-stream.js';
export { FrontEndStream } from './front-end-stream.js';
export { DEFAULT_ENDPOINT_RULES, Endpointer, resolveEndpointRules, ruleFires } from './endpoint.js';
export type { EndpointConfig, EndpointRule } from './endpoint.js';
export { FrameVad } from './frame-vad.js';
export type { FrameVadOptions } from './frame-vad.js';
