/**
 * The text of a speech model's word LM: every clean sentence of the allowed sources the
 * corpus builder reads (the fortunes, WordNet, GCIDE), normalised as the corpus's labels
 * are, never the held-out text (the Jargon File, which test-speakers reads) nor a
 * reserved text (bible-kjv, dict-devil are never opened).
 */
import { corpusText } from './corpus-text.js';
import type { TextSource } from './text-sources.js';

/** Options of {@link lmText}. */
export interface LmTextOptions {
  /** Folders of fortune files. Default the Debian one. */
  fortuneDirs?: string[];
  /** Sources besides the fortunes. Default wordnet and gcide; jargon is refused (held-out text). */
  textSources?: TextSource[];
  /** Sentences kept per extra source. Default: all of them. */
  maxPerSource?: number;
}

/** The LM's sentences (normalised label text, deduplicated) and how many each source gave. */
export function lmText(o: LmTextOptions = {}): { sentences: string[]; sources: Record<string, unknown> } {
  const textSources = o.textSources ?? (['wordnet', 'gcide'] as TextSource[]);
  if (textSources.includes('jargon')) throw new Error('LM text: the Jargon File is the held-out text of the test-speakers split, never LM text');
  const text = corpusText({
    ...(o.fortuneDirs ? { fortuneDirs: o.fortuneDirs } : {}), textSources, maxPerSource: o.maxPerSource ?? Infinity, heldOutTextSource: 'none',
  });
  return { sentences: text.sentences.map((s) => s.text), sources: text.record['sources'] as Record<string, unknown> };
}
