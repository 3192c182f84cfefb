/**
 * Reading a feature cache (feature-cache.ts): a float32 file of every item's features, one
 * after the other. A cache that fits the memory budget is read whole into one array; a
 * larger one is read item by item with positioned reads, keeping the most recently read
 * items in a small LRU, so that memory is bounded by the batch, not by the corpus, and a
 * file of any size (over Node's 2 GiB readFileSync limit too) can be read.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Features } from '../../util/features.js';
import type { FeatureSet } from '../../util/feature-set.js';

/** The most a streamed cache keeps in its LRU (less when the budget is smaller). */
const MAX_LRU_BYTES = 64 * 1024 ** 2;
/** The largest single read (readSync takes at most 2 GiB). */
const CHUNK_BYTES = 256 * 1024 ** 2;

/** A {@link FeatureSet} read from a feature cache file. */
export class CachedFeatureSet implements FeatureSet {
  readonly length: number;
  /** 'memory': the whole cache is in memory; 'stream': items are read from the file when asked for. */
  readonly mode: 'memory' | 'stream';
  private readonly offsets: number[];
  private all: Features[] | null = null;
  private readonly lru = new Map<number, Features>();
  private lruBytes = 0;
  private readonly lruLimit: number;
  private transform: ((f: Features) => void) | null = null;

  /**
   * The cache `path` of items with `frames` frames of `dim` values each (its size already
   * checked against them), in memory when it takes at most `memoryBytes`, else streamed.
   */
  constructor(readonly path: string, readonly dim: number, readonly frames: readonly number[], memoryBytes: number) {
    this.length = frames.length;
    this.offsets = new Array<number>(frames.length + 1);
    this.offsets[0] = 0;
    frames.forEach((n, i) => { this.offsets[i + 1] = this.offsets[i]! + n * dim * 4; });
    const bytes = this.offsets[frames.length]!;
    this.mode = bytes <= memoryBytes ? 'memory' : 'stream';
    this.lruLimit = Math.min(memoryBytes, MAX_LRU_BYTES);
    if (this.mode === 'memory') this.all = this.readWhole(bytes);
  }

  /** Bytes of features this set holds in memory now. */
  get residentBytes(): number {
    return this.mode === 'memory' ? this.offsets[this.length]! : this.lruBytes;
  }

  /**
   * Applies `fn` (in place) to every item's features from now on: at once to a set in
   * memory, on each read to a streamed one. Both give the same values.
   */
  normalise(fn: (f: Features) => void): void {
    if (this.transform) throw new Error(`${this.path}: the features are normalised already`);
    this.transform = fn;
    if (this.all) for (const f of this.all) fn(f);
    this.lru.clear();
    this.lruBytes = 0;
  }

  get(i: number): Features {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`${this.path}: no item ${i} (${this.length} items)`);
    if (this.all) return this.all[i]!;
    const hit = this.lru.get(i);
    if (hit) {
      this.lru.delete(i); // to the most recent end
      this.lru.set(i, hit);
      return hit;
    }
    const n = this.frames[i]!;
    const data = new Float32Array(n * this.dim);
    const fd = openSync(this.path, 'r');
    try {
      readFully(fd, new Uint8Array(data.buffer), this.offsets[i]!, this.path);
    } finally {
      closeSync(fd);
    }
    const f: Features = { data, frames: n, dim: this.dim };
    this.transform?.(f);
    if (data.byteLength <= this.lruLimit) {
      this.lru.set(i, f);
      this.lruBytes += data.byteLength;
      for (const [k, old] of this.lru) {
        if (this.lruBytes <= this.lruLimit) break;
        this.lru.delete(k);
        this.lruBytes -= old.data.byteLength;
      }
    }
    return f;
  }

  private readWhole(bytes: number): Features[] {
    const data = new Float32Array(bytes / 4);
    const fd = openSync(this.path, 'r');
    try {
      readFully(fd, new Uint8Array(data.buffer), 0, this.path);
    } finally {
      closeSync(fd);
    }
    return this.frames.map((n, i) => {
      const off = this.offsets[i]! / 4;
      return { data: data.subarray(off, off + n * this.dim), frames: n, dim: this.dim };
    });
  }
}

/** Fills `into` from `fd` at byte `position`, in chunks; a short file is an error naming `path`. */
function readFully(fd: number, into: Uint8Array, position: number, path: string): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, Math.min(CHUNK_BYTES, into.byteLength - done), position + done);
    if (n === 0) throw new Error(`${path}: the feature cache ends at byte ${position + done}, expected ${position + into.byteLength}`);
    done += n;
  }
}
