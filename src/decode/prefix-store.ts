import { PairIndex, grown } from './lm/pair-index.js';

/**
 * The prefixes a CTC beam search has visited, as a tree in typed arrays: node 0 is the
 * empty prefix, node 1 a spare row (for a caller's scratch state); node k >= 2 extends
 * node `parent(k)` by label `label(k)`. Each node carries
 * the decoder's per-prefix state (language model, lexicon, hotwords, timing), so that a
 * hypothesis is just a node id plus two acoustic log-probabilities.
 */
export class PrefixStore {
  private index = new PairIndex(1024);
  /** Language-model state after the prefix. */
  lmState = new Int32Array(1024);
  /** Unscaled ln P_LM of the completed words (word LM) or of the labels (character LM). */
  lmRaw = new Float64Array(1024);
  /** A word LM beside a character LM: its state after the completed words, and their unscaled ln P. */
  wordLmState = new Int32Array(1024);
  wordLmRaw = new Float64Array(1024);
  /** Completed words. */
  words = new Int32Array(1024);
  /** Completed words the word LM does not know. */
  oovs = new Int32Array(1024);
  /** Word-trie node of the word in progress (-1: off the trie). */
  trie = new Int32Array(1024);
  /** Labels in the word in progress. */
  wordLen = new Int32Array(1024);
  /** Labels in the prefix. */
  depth = new Int32Array(1024);
  /** Hotword match state (see HotwordState). */
  hotNode = new Int32Array(1024);
  hotBefore = new Float64Array(1024);
  hotCommitted = new Float64Array(1024);
  hotBase = new Float64Array(1024);
  /** Everything but the acoustic score: alpha * lmRaw + wordLmAlpha * wordLmRaw + beta * words + labelBonus * depth + unkScore * oovs + hotword bonus + look-ahead. */
  score = new Float64Array(1024);
  /** The look-ahead part of `score` (the word in progress). */
  lookahead = new Float64Array(1024);
  /** 1 where a lexicon forbids the prefix. */
  dead = new Uint8Array(1024);
  /** First and last frame of the node's label on the dominant path, and its peak log-posterior. */
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  peak = new Float64Array(1024);
  /** Frame stamp and candidate slot, for merging a frame's extensions. */
  stamp = new Int32Array(1024).fill(-1);
  slot = new Int32Array(1024);

  /** Forgets every node but the root (whose state the caller sets), keeping the memory. */
  reset(): void {
    this.index.clear();
    this.copyState(1, 0);
    this.stamp[0] = -1;
  }

  /**
   * Keeps only the nodes `keep[0..n)` and their ancestors (with the root and the spare row),
   * renumbered in their old order, so that a long stream's storage stays bounded. Returns
   * the new id of every old node (-1 for those dropped); dropped nodes are made again,
   * with the same state, if a prefix needs them later.
   */
  compact(keep: ArrayLike<number>, n: number): Int32Array {
    const size = this.size;
    const newId = new Int32Array(size).fill(-1);
    newId[0] = 0;
    newId[1] = 1;
    for (let i = 0; i < n; i++) {
      for (let x = keep[i]!; x > 1 && newId[x] === -1; x = this.parent(x)) newId[x] = -2;
    }
    const old = this.index;
    const index = new PairIndex(Math.max(1024, n * 8));
    // A parent is always older (smaller id) than its children: ascending order renumbers
    // parents first, and copies each row down over rows already read.
    for (let o = 2; o < size; o++) {
      if (newId[o] !== -2) continue;
      const id = index.insert(newId[old.a[o - 2]!]!, old.b[o - 2]!) + 2;
      newId[o] = id;
      this.copyState(o, id);
      this.score[id] = this.score[o]!;
      this.lookahead[id] = this.lookahead[o]!;
      this.start[id] = this.start[o]!;
      this.end[id] = this.end[o]!;
      this.peak[id] = this.peak[o]!;
    }
    this.index = index;
    this.stamp.fill(-1);
    return newId;
  }

  /** Makes room for `n` nodes, so that no array moves while a caller holds it. */
  reserve(n: number): void {
    if (n > this.lmState.length) this.grow(n);
  }

  /** Number of nodes, the root and the scratch row included. */
  get size(): number {
    return this.index.size + 2;
  }

  parent(node: number): number {
    return this.index.a[node - 2]!;
  }

  label(node: number): number {
    return node < 2 ? -1 : this.index.b[node - 2]!;
  }

  /** The child of `node` by `label`, or -1 if it was never made. */
  find(node: number, label: number): number {
    const e = this.index.find(node, label);
    return e < 0 ? -1 : e + 2;
  }

  /** Makes the child of `node` by `label` (which must not exist), copying the parent's state. */
  make(node: number, label: number): number {
    const child = this.index.insert(node, label) + 2;
    if (child >= this.lmState.length) this.grow(child + 1);
    this.copyState(node, child);
    this.peak[child] = -Infinity;
    this.stamp[child] = -1;
    return child;
  }

  /** Copies the decoding state (LM, lexicon, hotwords) of node `from` to row `to`. */
  copyState(from: number, to: number): void {
    const child = to;
    const node = from;
    this.lmState[child] = this.lmState[node]!;
    this.lmRaw[child] = this.lmRaw[node]!;
    this.wordLmState[child] = this.wordLmState[node]!;
    this.wordLmRaw[child] = this.wordLmRaw[node]!;
    this.words[child] = this.words[node]!;
    this.oovs[child] = this.oovs[node]!;
    this.trie[child] = this.trie[node]!;
    this.wordLen[child] = this.wordLen[node]!;
    this.depth[child] = this.depth[node]!;
    this.hotNode[child] = this.hotNode[node]!;
    this.hotBefore[child] = this.hotBefore[node]!;
    this.hotCommitted[child] = this.hotCommitted[node]!;
    this.hotBase[child] = this.hotBase[node]!;
    this.dead[child] = 0;
  }

  /** Labels of a prefix, oldest first. */
  labels(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n > 1; n = this.parent(n)) out.push(this.label(n));
    return out.reverse();
  }

  /** Nodes of a prefix (root excluded), oldest first. */
  path(node: number): number[] {
    const out: number[] = [];
    for (let n = node; n > 1; n = this.parent(n)) out.push(n);
    return out.reverse();
  }

  private grow(n: number): void {
    this.lmState = grown(this.lmState, n);
    this.lmRaw = grown(this.lmRaw, n);
    this.wordLmState = grown(this.wordLmState, n);
    this.wordLmRaw = grown(this.wordLmRaw, n);
    this.words = grown(this.words, n);
    this.oovs = grown(this.oovs, n);
    this.trie = grown(this.trie, n);
    this.wordLen = grown(this.wordLen, n);
    this.depth = grown(this.depth, n);
    this.hotNode = grown(this.hotNode, n);
    this.hotBefore = grown(this.hotBefore, n);
    this.hotCommitted = grown(this.hotCommitted, n);
    this.hotBase = grown(this.hotBase, n);
    this.score = grown(this.score, n);
    this.lookahead = grown(this.lookahead, n);
    this.dead = grown(this.dead, n);
    this.start = grown(this.start, n);
    this.end = grown(this.end, n);
    this.peak = grown(this.peak, n);
    const old = this.stamp.length;
    this.stamp = grown(this.stamp, n);
    this.stamp.fill(-1, old);
    this.slot = grown(this.slot, n);
  }
}
