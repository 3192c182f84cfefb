/** What an n-gram model's tokens are: characters (with a word delimiter token) or words. */
import type { LanguageModel } from './language-model.js';

/** The delimiter tokens character models use for the space between words, in order of preference. */
export const CHAR_LM_DELIMITERS: readonly string[] = ['<sp>', '|'];

/**
 * 'char' when nearly every token of `lm`'s vocabulary (besides <s>, </s>, <unk> and a
 * delimiter) is one character, with the delimiter it uses; else 'word'.
 */
export function lmUnitOf(lm: LanguageModel): { unit: 'word' | 'char'; delimiter?: string } {
  const tokens = lm.vocabulary.filter((t) => !['<s>', '</s>', '<unk>', ...CHAR_LM_DELIMITERS].includes(t));
  const single = tokens.filter((t) => [...t].length === 1).length;
  if (tokens.length === 0 || single / tokens.length < 0.95) return { unit: 'word' };
  return { unit: 'char', delimiter: CHAR_LM_DELIMITERS.find((d) => lm.vocabulary.includes(d)) ?? '|' };
}
