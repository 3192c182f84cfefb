/** What a corpus layout reader finds: utterances by split, before normalisation and durations. */

/** One utterance as a corpus lists it. */
export interface RawUtterance {
  /** The corpus's id for it (LibriSpeech "84-121123-0000", a Common Voice clip name, ...). */
  id: string;
  /** Absolute path of its audio. */
  audioPath: string;
  /** The transcript as the corpus writes it (normalised later). */
  text: string;
  speaker?: string;
}

/** Something a layout reader could not use, with where it is. */
export interface ImportProblem {
  /** A file, or file:line. */
  where: string;
  reason: string;
}

/** A layout reader's findings: utterances per split (manifest name), and the problems it met. */
export interface LayoutScan {
  splits: Map<string, RawUtterance[]>;
  problems: ImportProblem[];
  /** True where the corpus has no splits of its own (importCorpus then cuts dev and test off). */
  unsplit: boolean;
}

/** Adds `u` to split `name`. */
export function addUtterance(scan: LayoutScan, name: string, u: RawUtterance): void {
  const list = scan.splits.get(name);
  if (list) list.push(u);
  else scan.splits.set(name, [u]);
}

/** Lines of a text file with their 1-based numbers, blank lines skipped. */
export function textLines(content: string): { line: number; text: string }[] {
  return content.split(/\r?\n/).map((text, i) => ({ line: i + 1, text })).filter((l) => l.text.trim() !== '');
}
