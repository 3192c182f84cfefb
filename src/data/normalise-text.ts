/**
 * Turns written English into the spoken-form label text the character models use:
 * lowercase letters, spaces and word-internal apostrophes only. Numbers are spelled out,
 * a few symbols become words, punctuation goes, accents are stripped; anything else is
 * dropped and reported, so that a caller can reject the sentence.
 */
import { spellCardinal, spellDigits, spellOrdinal, spellYear } from './spell-number.js';

/** Options of {@link normaliseText}. */
export interface NormaliseOptions {
  /** Read 1100-1999 as years ("nineteen eighty four") rather than cardinals. Default true. */
  years?: boolean;
}

/** The normalised text and the characters that could not be mapped (each once, in order). */
export interface NormalisedText {
  text: string;
  unmappable: string[];
}

const SYMBOL_WORDS: Record<string, string> = { '&': 'and', '%': 'percent', '@': 'at', '+': 'plus', '=': 'equals' };
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;

function spellNumberToken(whole: string, frac: string | undefined, suffix: string | undefined, years: boolean): string {
  const digits = whole.replace(/,/g, '');
  if (suffix) return spellOrdinal(digits);
  let words = years && !frac && /^1[1-9]\d\d$/.test(digits) ? spellYear(digits) : spellCardinal(digits);
  if (frac) words += ` point ${spellDigits(frac)}`;
  return words;
}

/**
 * Normalises `input`: "Dr. Smith's 42 cats & 3.5 dogs!" -> "dr smith's forty two cats and
 * three point five dogs". Reports characters that are neither letters, digits, spaces,
 * punctuation nor a known symbol (e.g. "<", "©", CJK) in `unmappable`.
 */
export function normaliseText(input: string, options: NormaliseOptions = {}): NormalisedText {
  const years = options.years ?? true;
  const unmappable: string[] = [];
  let s = input.normalize('NFKD').replace(/\p{M}/gu, '').replace(APOSTROPHES, "'");
  // "$5" -> "5 dollars"; "5%" and "&" etc. become words.
  s = s.replace(/\$(\d[\d,]*(?:\.\d+)?)/g, (_m, n: string) => ` ${n} dollars `);
  s = s.replace(/[&%@+=]/g, (c) => ` ${SYMBOL_WORDS[c]} `);
  // Numbers: "1,000", "3.14", "21st"; a number glued to letters is split off ("4x4" -> "four x four").
  s = s.replace(/(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(st|nd|rd|th)?\b/gi, (_m, whole: string, frac?: string, suffix?: string) =>
    ` ${spellNumberToken(whole, frac, suffix, years)} `);
  s = s.replace(/\d+/g, (d) => ` ${spellCardinal(d)} `);
  s = s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if ((ch >= 'a' && ch <= 'z') || ch === "'") out += ch;
    else if (/[\s\p{P}]/u.test(ch)) out += ' ';
    else {
      if (!unmappable.includes(ch)) unmappable.push(ch);
      out += ' ';
    }
  }
  // Apostrophes stay only inside words ("don't"); quotes and trailing ones go.
  out = out.replace(/(^|[^a-z])'+|'+(?=[^a-z]|$)/g, '$1');
  return { text: out.replace(/\s+/g, ' ').trim(), unmappable };
}
