import type { LanguageModel } from './language-model.js';

/**
 * The form in which a case-folded word LM knows a word: lower case, without the
 * punctuation at its edges ("Hello," and "hello" are one word; "don't" keeps its
 * apostrophe). Text lines glue punctuation to words and start sentences with capitals,
 * which would split one word's counts over many tokens. '' for a token with no letter or
 * digit (a dash, an ampersand): a folded word LM does not score it.
 */
export function foldWord(token: string): string {
  return token.replace(EDGES, '').toLowerCase();
}

/** True when every word of `lm` (but <s>, </s>, <unk>) is its own fold: a model built with `sayre lm build --fold`. */
export function isFoldedLm(lm: LanguageModel): boolean {
  return lm.vocabulary.every((t) => t === '<s>' || t === '</s>' || t === '<unk>' || foldWord(t) === t);
}

const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
