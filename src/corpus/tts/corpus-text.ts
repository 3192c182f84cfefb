/**
 * The text a corpus speaks: the fortune files plus the other text sources (WordNet,
 * GCIDE), and a held-out source (the Jargon File by default) that only the
 * held-out-speakers test split reads, limited to sentences with words the rest never
 * holds. An LM built for a model trained on this corpus must not use the held-out source.
 */
import { readFortuneSentences } from '../fortune-sentences.js';
import type { FortuneSentence } from '../fortune-sentences.js';
import { haveTextSource, readTextSource, TEXT_SOURCE_FILES, withUnseenWords } from './text-sources.js';
import type { TextSource } from './text-sources.js';

/** Options of {@link corpusText}. */
export interface CorpusTextOptions {
  /** Folders of fortune files. Default the Debian one. */
  fortuneDirs?: string[];
  /** Text sources spoken besides the fortunes. Default wordnet and gcide (those installed). */
  textSources?: TextSource[];
  /** Sentences kept per extra source. Default 20000. */
  maxPerSource?: number;
  /** The source only test-speakers reads, or "none" (test-speakers then reads the test sentences). Default jargon. */
  heldOutTextSource?: TextSource | 'none';
}

/** The sentence pools and what corpus.json records about them. */
export interface CorpusText {
  sentences: FortuneSentence[];
  heldOutText: FortuneSentence[];
  record: Record<string, unknown>;
}

/** Reads the corpus text; a source that is not installed is skipped with a note (not the held-out one). */
export function corpusText(o: CorpusTextOptions): CorpusText {
  const heldOutSource = o.heldOutTextSource ?? 'jargon';
  const requested = o.textSources ?? (['wordnet', 'gcide'] as TextSource[]);
  if (heldOutSource !== 'none' && requested.includes(heldOutSource)) {
    throw new Error(`corpus: text source ${heldOutSource} cannot be both spoken in training and held out`);
  }
  const max = o.maxPerSource ?? 20000;
  const sentences = readFortuneSentences(o.fortuneDirs ? { dirs: o.fortuneDirs } : {});
  const counts: Record<string, number> = { fortunes: sentences.length };
  const skipped: string[] = [];
  const seen = new Set(sentences.map((s) => s.text));
  for (const source of requested) {
    if (!haveTextSource(source)) {
      skipped.push(`${source}: not installed (apt-get install ${TEXT_SOURCE_FILES[source].package})`);
      continue;
    }
    const got = readTextSource(source, { max }).filter((s) => !seen.has(s.text));
    counts[source] = got.length;
    // One at a time: a spread of 100k+ arguments overflows the stack (an LM reads all of GCIDE).
    for (const s of got) {
      seen.add(s.text);
      sentences.push(s);
    }
  }
  let heldOutText: FortuneSentence[] = [];
  if (heldOutSource !== 'none') {
    // Thrown, not skipped: without it test-speakers would silently read seen text.
    if (!haveTextSource(heldOutSource)) {
      throw new Error(`corpus: the held-out text ${heldOutSource} is not installed: apt-get install ${TEXT_SOURCE_FILES[heldOutSource].package}, `
        + 'or pass --held-out-text none (test-speakers then reads the test sentences)');
    }
    heldOutText = withUnseenWords(readTextSource(heldOutSource), sentences);
    counts[`${heldOutSource} (held out)`] = heldOutText.length;
  }
  return {
    sentences, heldOutText,
    record: { sources: counts, heldOutTextSource: heldOutSource, skippedSources: skipped, maxPerSource: max },
  };
}
