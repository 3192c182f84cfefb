/**
 * The Jargon File's definitions (Debian's dict-jargon, /usr/share/dictd/jargon.dict.dz):
 * the text of the held-out-font splits, a source that neither the line corpus's other
 * splits nor the line language model read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Where Debian's dict-jargon installs the dictionary (dictzip: gzip-compatible). */
export const JARGON_DICT = '/usr/share/dictd/jargon.dict.dz';

/** Typographic characters mapped to their ASCII forms. */
const ASCII: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '--', '\u2026': '...', '\u00b7': '' };

/**
 * The definition paragraphs of a dictd text (indented lines), cross-reference braces
 * removed and typographic quotes made ASCII, one paragraph a string.
 */
export function jargonParagraphs(text: string): string[] {
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) out.push(para.join(' ').replace(/[{}]/g, '').replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00b7]/g, (c) => ASCII[c]!).replace(/\s+/g, ' ').trim());
    para = [];
  };
  for (const line of text.split('\n')) {
    if (/^ {4}\S/.test(line)) para.push(line.trim());
    else flush();
  }
  flush();
  return out.filter((p) => p.split(' ').length >= 3);
}

/** The Jargon File's paragraphs; throws with an install hint when dict-jargon is not there. */
export function readJargonParagraphs(path = JARGON_DICT): string[] {
  if (!existsSync(path)) throw new Error(`${path}: not found; the held-out-font splits read the Jargon File (apt-get install dict-jargon), or give --held-out-lines 0`);
  return jargonParagraphs(gunzipSync(readFileSync(path)).toString('utf8'));
}
