/**
 * Headwords of the GNU Collaborative International Dictionary of English (Debian's
 * dict-gcide, /usr/share/dictd/gcide.index): old, rare and technical words.
 */
import { existsSync, readFileSync } from 'node:fs';

/** Where Debian's dict-gcide installs its index. */
export const GCIDE_INDEX = '/usr/share/dictd/gcide.index';

/**
 * Headwords from a dictd index (`headword TAB offset TAB length` lines), deduplicated,
 * dictd's own entries left out; GCIDE capitalises every headword, so a single word in
 * lower case after its capital is given back in lower case ("Dilute" -> "dilute").
 */
export function parseDictIndex(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const head = line.split('\t')[0]!.trim();
    const word = /^[A-Z][a-z-]*$/.test(head) ? head.toLowerCase() : head;
    if (word && !word.startsWith('00-database') && !word.startsWith('00database')) out.add(word);
  }
  return [...out];
}

/** GCIDE's headwords; empty when dict-gcide is not installed. */
export function readGcideHeadwords(path = GCIDE_INDEX): string[] {
  return existsSync(path) ? parseDictIndex(readFileSync(path, 'utf8')) : [];
}
