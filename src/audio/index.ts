/**
 * sayre/audio: audio in and out (WAV), resampling, fbank, deltas, CMVN, SpecAugment, the speech front end.
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
export { computeFeatures, DEFAULT_FRONT_END, frameSeconds, frontEndDim, resolveFrontEnd } from './front-end.js';
export type { FrontEndConfig } from './front-end.js';
