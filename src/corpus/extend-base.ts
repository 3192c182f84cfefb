/**
 * What every `--extend` build asks of the corpus it extends (tts/extend-corpus.ts,
 * lines/extend-lines-corpus.ts): its corpus.json, a complete build that is not itself an
 * extension, another seed than its own, and the texts of its evaluation manifests, which the
 * extension must never read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `sayre corpus` command that writes a kind of corpus. */
export type CorpusCommand = 'tts' | 'lines';

/** The corpus.json in `dir`, parsed; throws where there is none. */
export function readBaseCorpusJson<T>(dir: string, command: CorpusCommand): T {
  const path = join(dir, 'corpus.json');
  if (!existsSync(path)) throw new Error(`--extend ${dir}: no corpus.json there (a folder written by sayre corpus ${command} is expected)`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Throws where the corpus is itself an extension (extend the corpus it extends instead). */
export function assertNotExtension(dir: string, config: { extends?: unknown }): void {
  if (config.extends !== undefined) throw new Error(`--extend ${dir}: that folder is itself an extension; extend the corpus it extends`);
}

/**
 * The error for a base corpus that is not complete: every evaluation split must be there, as
 * a sentence of a split built later could already be in the extension. `howToFinish`
 * completes "finish it first (its own sayre corpus COMMAND command...)".
 */
export function incompleteBase(dir: string, status: string | undefined, command: CorpusCommand, howToFinish = ''): Error {
  return new Error(`--extend ${dir}: its corpus.json is not that of a complete build (status ${status ?? 'unknown'}); `
    + `finish it first (its own sayre corpus ${command} command${howToFinish})`);
}

/** Throws where the extension's seed is the base's own, which would plan the base's very `items`. */
export function assertOtherSeed(dir: string, seed: number, baseSeed: number, items: string): void {
  if (seed === baseSeed) throw new Error(`--extend ${dir}: --seed ${seed} is that corpus's own seed, which would plan its very ${items}; give another`);
}

/** Every text of the `splits` manifests in `dir` that exist, read by `read`. */
export function manifestTexts(dir: string, splits: readonly string[], read: (file: string) => readonly { text: string }[]): Set<string> {
  const texts = new Set<string>();
  for (const split of splits) {
    const file = join(dir, `${split}.jsonl`);
    if (existsSync(file)) for (const e of read(file)) texts.add(e.text);
  }
  return texts;
}
