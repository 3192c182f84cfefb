import type { LabelSet } from './label-set.js';
import type { LanguageModel } from './lm/language-model.js';
import { PairIndex, grown } from './lm/pair-index.js';

/**
 * A trie of words spelled in label ids, for lexicon constraints and partial-word
 * look-ahead. Node 0 is the root; every node knows the best score of any word below it
 * (the look-ahead a partial word gets) and, where a word ends, that word's id.
 */
export class WordTrie {
  private readonly children = new PairIndex(256);
  /** Word id ending at each node, or -1 (a prefix only). */
  private wordAt = new Int32Array(256).fill(-1);
  /** Best score of any word in each node's subtree. */
  private best = new Float64Array(256).fill(-Infinity);

  /** Number of nodes, the root included. */
  get size(): number {
    return this.children.size + 1;
  }

  /** Adds a word (its label ids) with an id and a look-ahead score. */
  add(spelling: readonly number[], wordId: number, score: number): void {
    let node = 0;
    this.raise(node, score);
    for (const label of spelling) {
      node = this.children.insert(node, label) + 1;
      this.ensure(node + 1);
      this.raise(node, score);
    }
    if (this.wordAt[node]! < 0) this.wordAt[node] = wordId;
  }

  /** The child of `node` by `label`, or -1. */
  child(node: number, label: number): number {
    const e = this.children.find(node, label);
    return e < 0 ? -1 : e + 1;
  }

  /** The id of the word ending at `node`, or -1. */
  word(node: number): number {
    return this.wordAt[node]!;
  }

  /** The best score of a word below `node`. */
  bestBelow(node: number): number {
    return this.best[node]!;
  }

  private raise(node: number, score: number): void {
    if (score > this.best[node]!) this.best[node] = score;
  }

  private ensure(n: number): void {
    if (n <= this.wordAt.length) return;
    const old = this.wordAt.length;
    this.wordAt = grown(this.wordAt, n);
    this.wordAt.fill(-1, old);
    this.best = grown(this.best, n);
    this.best.fill(-Infinity, old);
  }
}

/**
 * A trie of `words` spelled in `labels` (words that cannot be spelled, or that contain
 * the delimiter or the blank, are left out), each with its LM id and, as its look-ahead
 * score, its unigram ln-probability under `wordLm` (0 without one); `lmIds[w]` is the LM
 * id of trie word w (-1 without an LM). Shared by the CTC and RNN-T decoders.
 */
export function spelledWordTrie(
  labels: LabelSet, words: Iterable<string>, wordLm?: Pick<LanguageModel, 'id' | 'unigram'>,
): { trie: WordTrie; lmIds: Int32Array } {
  const trie = new WordTrie();
  const ids: number[] = [];
  for (const w of words) {
    const spelling = w.length > 0 ? labels.spell(w) : null;
    if (!spelling || spelling.includes(labels.delimiter) || spelling.includes(labels.blank)) continue;
    const lmId = wordLm ? wordLm.id(w) : -1;
    trie.add(spelling, ids.length, wordLm?.unigram ? wordLm.unigram(lmId) : 0);
    ids.push(lmId);
  }
  return { trie, lmIds: Int32Array.from(ids) };
}

/** The words of an LM's vocabulary, without its sentence markers and `<unk>`. */
export function lmWords(lm: Pick<LanguageModel, 'vocabulary'>): string[] {
  return lm.vocabulary.filter((w) => !/^<\/?(s|unk)>$/.test(w));
}
