/**
 * sayre/data: manifests, tokenizers, text normalisation, padding and length-bucketed batching.
 * @packageDocumentation
 */
export { batchEpoch, batchFrames, batchPlanFingerprint, resumeEpoch } from './batching.js';
export type { BatchIndices, BatchingOptions } from './batching.js';
export { normaliseText } from './normalise-text.js';
export type { NormaliseOptions, NormalisedText } from './normalise-text.js';
export { spellCardinal, spellDigits, spellOrdinal, spellYear } from './spell-number.js';
export { CharTokenizer, DEFAULT_ALPHABET } from './char-tokenizer.js';
export type { CharTokenizerJson } from './char-tokenizer.js';
export { formatManifest, ManifestError, parseManifest, readManifest, writeManifest } from './manifest.js';
export type { AugmentationRecord, ManifestEntry, ManifestReadOptions, ResolvedEntry } from './manifest.js';
export { LINE_ALPHABET } from './lines/line-alphabet.js';
export { tokenizerLabels } from './char-tokenizer.js';
export { padFeatures } from './pad-batch.js';
export type { PaddedFeatures } from './pad-batch.js';
