/**
 * Sentences beyond the fortune files, for more varied text: the Jargon File (dict-jargon),
 * WordNet glosses and their example sentences (wordnet-base), and GCIDE definitions
 * (dict-gcide). Each is cleaned like the fortunes (fortune-sentences.ts): only sentences
 * that normalise without loss and read as written, 3-20 words.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { cleanSentence, splitSentences } from '../fortune-sentences.js';
import type { FortuneSentence } from '../fortune-sentences.js';

/** The text sources besides the fortunes. */
export type TextSource = 'jargon' | 'wordnet' | 'gcide';

/** Where Debian installs each source, and the package to install. */
export const TEXT_SOURCE_FILES: Record<TextSource, { files: string[]; package: string }> = {
  jargon: { files: ['/usr/share/dictd/jargon.dict.dz'], package: 'dict-jargon' },
  wordnet: { files: ['noun', 'verb', 'adj', 'adv'].map((p) => `/usr/share/wordnet/data.${p}`), package: 'wordnet-base' },
  gcide: { files: ['/usr/share/dictd/gcide.dict.dz'], package: 'dict-gcide' },
};

/** Options of {@link readTextSource}. */
export interface TextSourceOptions {
  /** Files to read instead of Debian's (tests). */
  files?: string[];
  /** Keep at most this many sentences, spread evenly over the source. Default: all. */
  max?: number;
  minWords?: number;
  maxWords?: number;
}

function readText(path: string): string {
  const raw = readFileSync(path);
  // .dict.dz is dictzip: gzip with an index in the header, readable as plain gzip.
  return (path.endsWith('.dz') || path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/** Indented paragraphs of a dictd file (definitions), joined into single lines. */
function indentedParagraphs(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s+\S/.test(line) && !/^\s+\//.test(line)) {
      current.push(line.trim());
    } else if (current.length) {
      out.push(current.join(' '));
      current = [];
    }
  }
  if (current.length) out.push(current.join(' '));
  return out;
}

/** A dictd paragraph without cross-reference braces, bracketed notes, citations and numbering. */
function cleanDictParagraph(p: string): string {
  return p
    .replace(/\[[^\]]*\]/g, ' ') // [1913 Webster], [from Greek ...], [R.]
    .replace(/--\s?[A-Z][^.;]*(\.|$)/g, ' ') // GCIDE citations: --Shak.
    .replace(/[{}]/g, '')
    .replace(/^\s*(\d+\.|Syn:|Note:|Defn:)\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Candidate pieces of one source, as written: paragraphs (dictd) or gloss parts (WordNet). */
function candidates(source: TextSource, text: string): string[] {
  if (source === 'wordnet') {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const bar = line.indexOf(' | ');
      if (line.startsWith('  ') || bar < 0) continue; // the licence header
      for (const part of line.slice(bar + 3).split(';')) {
        const p = part.trim();
        // Examples are quoted sentences; glosses are definitions (phrases, kept as they are).
        out.push(p.replace(/^"|"$/g, ''));
      }
    }
    return out;
  }
  return indentedParagraphs(text);
}

/** Reads `source` and returns its clean sentences (deduplicated, in file order or spread evenly with `max`). */
export function readTextSource(source: TextSource, options: TextSourceOptions = {}): FortuneSentence[] {
  const files = options.files ?? TEXT_SOURCE_FILES[source].files;
  const minWords = options.minWords ?? 3;
  const maxWords = options.maxWords ?? 20;
  const seen = new Set<string>();
  const out: FortuneSentence[] = [];
  const all: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`${file}: not found (apt-get install ${TEXT_SOURCE_FILES[source].package})`);
    for (const c of candidates(source, readText(file))) all.push(c);
  }
  // With a cap, clean only an even spread of about three pieces per sentence kept
  // (GCIDE has over a million lines).
  const stride = options.max === undefined ? 1 : Math.max(1, Math.floor(all.length / (3 * options.max)));
  const pieces: string[] = [];
  for (let i = 0; i < all.length; i += stride) {
    if (source === 'wordnet') pieces.push(all[i]!);
    else for (const s of splitSentences(cleanDictParagraph(all[i]!))) pieces.push(s);
  }
  for (const piece of pieces) {
    const sentence = piece.replace(/[\u201c\u201d]/g, '"').trim();
    const text = cleanSentence(sentence, minWords, maxWords);
    if (text === undefined || seen.has(text)) continue;
    seen.add(text);
    out.push({ text, original: sentence, source });
  }
  const max = options.max;
  if (max === undefined || out.length <= max) return out;
  const step = out.length / max;
  return Array.from({ length: max }, (_, i) => out[Math.floor(i * step)]!);
}

/** Whether every file of `source` is installed. */
export function haveTextSource(source: TextSource): boolean {
  return TEXT_SOURCE_FILES[source].files.every((f) => existsSync(f));
}

/**
 * The sentences of `heldOut` that hold at least one word no sentence of `seen` holds: the
 * held-out-speakers test split reads text whose words the training corpus never spoke.
 */
export function withUnseenWords(heldOut: readonly FortuneSentence[], seen: readonly FortuneSentence[]): FortuneSentence[] {
  const vocabulary = new Set(seen.flatMap((s) => s.text.split(' ')));
  return heldOut.filter((s) => s.text.split(' ').some((w) => !vocabulary.has(w)));
}
