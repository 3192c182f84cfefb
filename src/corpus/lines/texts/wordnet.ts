/**
 * Headwords, names and definitions from WordNet's database files (Debian's wordnet-base,
 * /usr/share/wordnet/data.{noun,verb,adj,adv}): words and phrases an OCR model meets
 * outside fortune cookies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's wordnet-base installs the database. */
export const WORDNET_DIR = '/usr/share/wordnet';

/** What the WordNet database gives a line corpus. */
export interface WordnetTexts {
  /** Lower-case lemmas (words and phrases), deduplicated. */
  headwords: string[];
  /** Capitalised lemmas: people, places, organisations. */
  names: string[];
  /** Definitions and quoted usage examples, as written. */
  glosses: string[];
}

/**
 * Parses the synset lines of one data file: `offset lex_filenum ss_type w_cnt word lex_id
 * ... | gloss` (w_cnt in hex; lines starting with spaces are the licence header).
 */
export function parseWordnetData(text: string, into: WordnetTexts = { headwords: [], names: [], glosses: [] }): WordnetTexts {
  const seen = new Set([...into.headwords, ...into.names]);
  for (const line of text.split('\n')) {
    if (!/^\d{8} /.test(line)) continue;
    const bar = line.indexOf(' | ');
    const fields = (bar < 0 ? line : line.slice(0, bar)).split(' ');
    const count = parseInt(fields[3] ?? '', 16);
    for (let k = 0; k < count; k++) {
      // Adjective lemmas may carry a syntactic marker: "galore(ip)".
      const word = (fields[4 + 2 * k] ?? '').replace(/\((a|p|ip)\)$/, '').replace(/_/g, ' ');
      if (!word || seen.has(word)) continue;
      seen.add(word);
      (/^[A-Z]/.test(word) ? into.names : into.headwords).push(word);
    }
    if (bar >= 0) {
      for (const part of line.slice(bar + 3).trim().split(/;\s+/)) {
        const g = part.trim();
        if (g) into.glosses.push(g);
      }
    }
  }
  return into;
}

/** Reads the four data files under `dir`; empty lists when WordNet is not installed. */
export function readWordnet(dir = WORDNET_DIR): WordnetTexts {
  const out: WordnetTexts = { headwords: [], names: [], glosses: [] };
  for (const pos of ['noun', 'verb', 'adj', 'adv']) {
    const path = join(dir, `data.${pos}`);
    if (existsSync(path)) parseWordnetData(readFileSync(path, 'latin1'), out);
  }
  return out;
}
