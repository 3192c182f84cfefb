/**
 * Sentences from Debian's fortune files, cleaned for speech synthesis: each sentence must
 * normalise without loss and be something a TTS engine will say as written (no
 * abbreviations, acronyms or stray symbols), 3-20 words, deduplicated.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { normaliseText } from '../data/normalise-text.js';

/** Where Debian installs the fortune files. */
export const FORTUNE_DIR = '/usr/share/games/fortunes';

/** Texts reserved for independent evaluation: never read, whatever the caller asks. */
export const RESERVED_TEXTS: readonly string[] = ['bible-kjv', 'dict-devil'];

/** Fortune files that are not prose. */
const NOT_PROSE = ['ascii-art'];

/** A cleaned sentence and the fortune file it came from. */
export interface FortuneSentence {
  /** Normalised label text (what the engine is given and the model must output). */
  text: string;
  /** The sentence as written. */
  original: string;
  source: string;
}

/** Options of {@link readFortuneSentences}. */
export interface FortuneOptions {
  /** Folders of fortune files. Default [FORTUNE_DIR]. */
  dirs?: string[];
  /** Fewest and most words per sentence. Default 3 and 20. */
  minWords?: number;
  maxWords?: number;
}

/** True for a fortune file name that is reserved (bible-kjv, dict-devil, in any folder or form). */
export function isReservedText(file: string): boolean {
  const name = basename(file).replace(/\.(u8|dat)$/, '');
  return RESERVED_TEXTS.includes(name);
}

/** The fortune files in `dir` that may be used (not reserved, not index files, not ASCII art). */
export function fortuneFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new Error(`${dir}: cannot list fortune files: ${err instanceof Error ? err.message : String(err)} (install the fortunes and fortunes-min packages)`);
  }
  return names
    .filter((n) => !n.includes('.') && !isReservedText(n) && !NOT_PROSE.includes(n))
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile())
    .sort();
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'vs', 'etc', 'eg', 'ie', 'inc', 'ltd', 'co', 'mt',
  'prof', 'gen', 'col', 'lt', 'sgt', 'capt', 'rev', 'hon', 'no', 'vol', 'ch', 'pp', 'fig', 'ave', 'dept', 'approx']);
/** Characters a usable sentence may contain (anything else hints at code, art or markup). */
const ALLOWED = /^[A-Za-z0-9\s.,;:!?'"()\-\u2018\u2019\u201c\u201d\u2013\u2014&%$]+$/;

/** Why `sentence` is unfit for TTS labels, or undefined when it is fine. */
export function rejectReason(sentence: string): string | undefined {
  if (!ALLOWED.test(sentence)) return 'unusual characters';
  for (const raw of sentence.split(/\s+/)) {
    const word = raw.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (!word) continue;
    if (/\d/.test(word)) {
      if (/[A-Za-z]/.test(word)) return `letters and digits mixed "${word}"`;
      continue;
    }
    const lower = word.toLowerCase();
    if (ABBREVIATIONS.has(lower) && /\./.test(raw)) return `abbreviation "${raw}"`;
    if (/\.[A-Za-z]/.test(raw)) return `dotted token "${raw}"`;
    if (word.length === 1 && lower !== 'a' && lower !== 'i') return `single letter "${word}"`;
    // Acronyms and roman numerals are read letter by letter, unlike their label.
    if (word.length >= 2 && word.length <= 3 && word === word.toUpperCase() && word !== 'OK') return `acronym "${word}"`;
    if (word.length >= 2 && /^[IVXLCDM]+$/.test(word)) return `roman numeral "${word}"`;
    if (!/[aeiouy]/i.test(word)) return `word without a vowel "${word}"`;
  }
  return undefined;
}

/**
 * Splits prose into sentences at ., ! or ? followed by a capital or digit, except after
 * an abbreviation ("Mr. Smith" stays one sentence, to be rejected as a whole).
 */
export function splitSentences(text: string): string[] {
  const pieces = text.split(/(?<=[.!?]["')\u201d\u2019]?)\s+(?=["'(\u201c\u2018]?[A-Z0-9])/).map((s) => s.trim()).filter(Boolean);
  const out: string[] = [];
  for (const p of pieces) {
    const prev = out[out.length - 1];
    const lastWord = prev?.match(/([A-Za-z]+)\.$/)?.[1]?.toLowerCase();
    if (prev !== undefined && lastWord !== undefined && (ABBREVIATIONS.has(lastWord) || lastWord.length === 1)) out[out.length - 1] = `${prev} ${p}`;
    else out.push(p);
  }
  return out;
}

/** The prose of one fortune: attribution lines ("-- Mark Twain") dropped, lines joined. */
function fortuneProse(entry: string): string {
  const lines: string[] = [];
  for (const line of entry.split('\n')) {
    if (/^\s*(--|\u2014)/.test(line)) break; // the attribution and anything after it
    lines.push(line.trim());
  }
  // An attribution after a closing quote on the same line: "...!" -- Larry Wall
  return lines.join(' ').replace(/["\u201d]\s+--\s.*$/, '"').replace(/\s+/g, ' ').trim();
}

/**
 * The label text of `sentence` if it is fit for TTS (see rejectReason), normalises without
 * loss and has `minWords` to `maxWords` words; otherwise undefined.
 */
export function cleanSentence(sentence: string, minWords: number, maxWords: number): string | undefined {
  if (rejectReason(sentence)) return undefined;
  const { text, unmappable } = normaliseText(sentence);
  if (unmappable.length || !text) return undefined;
  const words = text.split(' ').length;
  return words < minWords || words > maxWords ? undefined : text;
}

/**
 * Reads every usable fortune file and returns its clean sentences (deduplicated by label
 * text, in file order). Reserved texts are never opened.
 */
export function readFortuneSentences(options: FortuneOptions = {}): FortuneSentence[] {
  const minWords = options.minWords ?? 3;
  const maxWords = options.maxWords ?? 20;
  const seen = new Set<string>();
  const out: FortuneSentence[] = [];
  for (const dir of options.dirs ?? [FORTUNE_DIR]) {
    for (const file of fortuneFiles(dir)) {
      const source = basename(file);
      const content = readFileSync(file, 'utf8').replace(/\r/g, '');
      for (const entry of content.split(/^%$/m)) {
        for (const sentence of splitSentences(fortuneProse(entry))) {
          const text = cleanSentence(sentence, minWords, maxWords);
          if (text === undefined || seen.has(text)) continue;
          seen.add(text);
          out.push({ text, original: sentence, source });
        }
      }
    }
  }
  return out;
}
