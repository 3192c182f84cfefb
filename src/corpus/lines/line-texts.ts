/**
 * Text lines of 3-9 words from the fortune files (reserved texts are never read; see
 * data/corpus/fortune-sentences.ts): sentences as written (case and punctuation kept,
 * what an OCR model must read), cut into lines at word boundaries, deduplicated.
 */
import { type FortuneSentence, readFortuneSentences } from '../fortune-sentences.js';
import { Random } from '../../math/random.js';
import { LINE_ALPHABET } from '../../data/lines/line-alphabet.js';

/** Fewest and most words per line. */
export const LINE_WORDS: readonly [number, number] = [3, 9];

/** Cuts `text` into lines of [min, max] words at random points (a last short piece joins the previous line if it fits). */
export function cutIntoLines(text: string, rng: Random, min = LINE_WORDS[0], max = LINE_WORDS[1]): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let i = 0;
  while (words.length - i >= min) {
    const left = words.length - i;
    let n = min + Math.floor(rng.uniform() * (max - min + 1));
    if (left - n < min) n = left <= max ? left : left - min; // never strand fewer than min words
    lines.push(words.slice(i, i + n).join(' '));
    i += n;
  }
  return lines;
}

/**
 * Lines from the fortune files (or from `sentences`): each sentence's original text, cut
 * into 3-9 word lines; lines with characters outside LINE_ALPHABET or seen before dropped.
 */
export function fortuneLines(seed: number, sentences?: FortuneSentence[], dirs?: string[]): string[] {
  const src = sentences ?? readFortuneSentences({ minWords: LINE_WORDS[0], maxWords: 60, ...(dirs ? { dirs } : {}) });
  const rng = new Random(seed);
  const seen = new Set<string>();
  const out: string[] = [];
  const ok = new RegExp(`^[${LINE_ALPHABET.replace(/[\]\\^-]/g, '\\$&')}]+$`);
  for (const s of src) {
    for (const line of cutIntoLines(s.original.replace(/\s+/g, ' ').trim(), rng)) {
      if (!ok.test(line) || seen.has(line)) continue;
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}
