import type { LabelSet } from './label-set.js';
import type { LanguageModel } from './lm/language-model.js';
import { PairIndex, grown } from './lm/pair-index.js';

/**
 * A trie of words spelled in label ids, for lexicon constraints and partial-word
 * look-ahead. Node 0 is the root; every node knows the best score of any word below it
 * (the look-ahead a partial word gets) and, where a word ends, that word's id.
 */
export class WordTrie {
  private readonly children: PairIndex;
  /** Word id ending at each node, or -1 (a prefix only). */
  private wordAt: Int32Array;
  /** Best score of any word in each node's subtree. */
  private best: Float64Array;

  /** @param capacity nodes to make room for without growing */
  constructor(capacity = 256) {
    this.children = new PairIndex(capacity);
    this.wordAt = new Int32Array(capacity + 1).fill(-1);
    this.best = new Float64Array(capacity + 1).fill(-Infinity);
  }

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

/** A word trie with each word's LM id, as the decoders use it. */
export interface SpelledWordTrie {
  trie: WordTrie;
  /** LM id of trie word w (-1 without an LM). */
  lmIds: Int32Array;
}

/**
 * A trie of `words` spelled in `labels` (words that cannot be spelled, or that contain
 * the delimiter or the blank, are left out), each with its LM id and, as its look-ahead
 * score, its unigram ln-probability under `wordLm` (0 without one). Shared by the CTC and
 * RNN-T decoders (a lexicon).
 */
export function spelledWordTrie(labels: LabelSet, words: Iterable<string>, wordLm?: Pick<LanguageModel, 'id' | 'unigram'>): SpelledWordTrie {
  const b = new TrieBuilder(labels, wordLm, 256);
  for (const w of words) b.add(w, wordLm ? wordLm.id(w) : -1);
  return b.done();
}

/**
 * The trie of a word LM's own words: its vocabulary without the sentence markers and
 * `<unk>`, in vocabulary order, each word's LM id its place in the vocabulary (no look-up
 * by string). The same trie as {@link spelledWordTrie} over those words.
 */
export function lmWordTrie(labels: LabelSet, lm: Pick<LanguageModel, 'vocabulary' | 'unigram'>): SpelledWordTrie {
  const vocabulary = lm.vocabulary;
  // About three new nodes a word (English: 2.75), so that the tables rarely grow.
  const b = new TrieBuilder(labels, lm, 3 * vocabulary.length);
  for (let id = 0; id < vocabulary.length; id++) {
    const w = vocabulary[id]!;
    if (w !== '<s>' && w !== '</s>' && w !== '<unk>' && w !== '</unk>') b.add(w, id);
  }
  return b.done();
}

/** Adds spelled words to a trie, collecting their LM ids. */
class TrieBuilder {
  private readonly trie: WordTrie;
  private readonly ids: number[] = [];

  constructor(private readonly labels: LabelSet, private readonly lm: Pick<LanguageModel, 'unigram'> | undefined, capacity: number) {
    this.trie = new WordTrie(capacity);
  }

  /** Adds `w` (LM id `lmId`) if the labels spell it without the delimiter or the blank. */
  add(w: string, lmId: number): void {
    const labels = this.labels;
    const spelling = w.length > 0 ? labels.spell(w) : null;
    if (!spelling || spelling.includes(labels.delimiter) || spelling.includes(labels.blank)) return;
    this.trie.add(spelling, this.ids.length, this.lm?.unigram ? this.lm.unigram(lmId) : 0);
    this.ids.push(lmId);
  }

  done(): SpelledWordTrie {
    return { trie: this.trie, lmIds: Int32Array.from(this.ids) };
  }
}
