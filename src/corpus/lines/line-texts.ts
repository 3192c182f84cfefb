/**
 * The texts of a line corpus: lines of 3-9 words from the fortune files (reserved texts
 * are never read; see corpus/fortune-sentences.ts) as written (case and punctuation kept,
 * what an OCR model must read), mixed with WordNet definitions, lists of WordNet and GCIDE
 * headwords and of names, numbers, dense punctuation and random letter strings; and the
 * held-out text (the Jargon File) that only the held-out-font splits show.
 */
import { type FortuneSentence, readFortuneSentences } from '../fortune-sentences.js';
import { Random } from '../../math/random.js';
import { LINE_ALPHABET } from '../../data/lines/line-alphabet.js';
import { readGcideHeadwords } from './texts/gcide.js';
import { numberLine, punctuationLine, randomStringLine, wordListLine } from './texts/generated.js';
import { readWordnet, type WordnetTexts } from './texts/wordnet.js';

/** Fewest and most words per line. */
export const LINE_WORDS: readonly [number, number] = [3, 9];

const LINE_TEXT = new RegExp(`^[${LINE_ALPHABET.replace(/[\]\\^-]/g, '\\$&')}]+$`);

/**
 * Longest word a line may hold: the Jargon File has numbers of hundreds of digits, which
 * are not lines of text (and which ImageMagick refuses to draw at the larger sizes).
 */
export const MAX_WORD_CHARS = 40;

/** True for a text of LINE_ALPHABET characters only, without leading, trailing or double spaces, and no word above MAX_WORD_CHARS. */
export function isLineText(text: string): boolean {
  return LINE_TEXT.test(text) && text.trim() === text && !text.includes('  ') && text.split(' ').every((w) => w.length <= MAX_WORD_CHARS);
}

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
  for (const s of src) {
    for (const line of cutIntoLines(s.original.replace(/\s+/g, ' ').trim(), rng)) {
      if (!isLineText(line) || seen.has(line)) continue;
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

/** Shares of the candidate texts by kind (the fortune lines set the scale). */
export const TEXT_MIX = { fortunes: 0.35, definitions: 0.2, wordLists: 0.14, names: 0.06, numbers: 0.1, punctuation: 0.08, random: 0.07 } as const;

/** Where the texts come from (defaults: the installed fortune files, WordNet and GCIDE; the last two are optional). */
export interface LineTextSources {
  /** Sentences instead of the fortune files (tests). */
  sentences?: FortuneSentence[];
  fortuneDirs?: string[];
  wordnet?: WordnetTexts;
  gcideHeadwords?: string[];
}

/**
 * The candidate texts of a line corpus, in the shares of {@link TEXT_MIX} (a kind whose
 * source is missing is left out; numbers, punctuation and word lists then draw their words
 * from the fortune lines), deduplicated, every one of LINE_ALPHABET.
 */
export function corpusLineTexts(seed: number, sources: LineTextSources = {}): string[] {
  const rng = new Random(seed ^ 0x5eed);
  const fortunes = fortuneLines(seed, sources.sentences, sources.fortuneDirs);
  const wn = sources.wordnet ?? (sources.sentences ? { headwords: [], names: [], glosses: [] } : readWordnet());
  const gcide = sources.gcideHeadwords ?? (sources.sentences ? [] : readGcideHeadwords());
  const total = fortunes.length / TEXT_MIX.fortunes;
  const quota = (share: number): number => Math.round(total * share);
  const fortuneWords = [...new Set(fortunes.flatMap((l) => l.split(' ')))];
  const headwords = [...wn.headwords, ...gcide].filter(isLineText);
  const names = wn.names.filter(isLineText);
  const words = headwords.length ? headwords : fortuneWords;
  const seen = new Set(fortunes);
  const out = [...fortunes];
  const add = (n: number, make: () => string | undefined): void => {
    for (let tries = 0, k = 0; k < n && tries < 3 * n; tries++) {
      const line = make();
      if (line === undefined || !isLineText(line) || seen.has(line)) continue;
      seen.add(line);
      out.push(line);
      k++;
    }
  };
  const definitions = wn.glosses.flatMap((g) => cutIntoLines(g, rng));
  shuffle(definitions, rng);
  let d = 0;
  add(Math.min(quota(TEXT_MIX.definitions), definitions.length), () => definitions[d++]);
  if (words.length) {
    add(quota(TEXT_MIX.wordLists), () => wordListLine(rng, words));
    add(quota(TEXT_MIX.numbers), () => numberLine(rng, words));
    add(quota(TEXT_MIX.punctuation), () => punctuationLine(rng, rng.uniform() < 0.5 ? words : fortuneWords));
  }
  if (names.length) add(quota(TEXT_MIX.names), () => wordListLine(rng, names));
  add(quota(TEXT_MIX.random), () => randomStringLine(rng));
  return out;
}

/**
 * The held-out text: paragraphs (the Jargon File's) cut into 3-9 word lines, of
 * LINE_ALPHABET only, without any line that `exclude` holds (the corpus's own texts).
 */
export function heldOutLineTexts(seed: number, paragraphs: readonly string[], exclude: ReadonlySet<string> = new Set()): string[] {
  const rng = new Random(seed ^ 0x4e1d);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paragraphs) {
    for (const line of cutIntoLines(p, rng)) {
      if (!isLineText(line) || seen.has(line) || exclude.has(line)) continue;
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

/** Shuffles `xs` in place (Fisher-Yates). */
export function shuffle<T>(xs: T[], rng: Random): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
