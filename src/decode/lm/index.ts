/**
 * sayre/lm: n-gram language models: ARPA read and write, Kneser-Ney estimation, perplexity.
 * @packageDocumentation
 */
export { lmStep, sentenceLogProb } from './language-model.js';
export type { LanguageModel, LmStep } from './language-model.js';
export { NgramModel } from './ngram-model.js';
export type { NgramOrder } from './ngram-model.js';
export { parseArpa, readArpa } from './arpa-reader.js';
export { formatArpa, writeArpa } from './arpa-writer.js';
export { buildKneserNey, corpusSentences } from './kneser-ney.js';
export type { Discounts, KneserNeyOptions, KneserNeyResult } from './kneser-ney.js';
export { foldWord, isFoldedLm } from './fold-word.js';
export { perplexity } from './perplexity.js';
export type { PerplexityResult } from './perplexity.js';
