/**
 * Features of a manifest's items (utterances or line images), computed once and cached in
 * the run directory (one float32 file and a JSON index per manifest), so that each epoch
 * and each resumed session reads them instead of decoding and filtering audio or images
 * again. The cache key covers the manifest's entries and the front-end config: change
 * either and the features are recomputed.
 *
 * The cache is written item by item as the features are computed (never the whole set in
 * memory) into `<name>.f32.partial`, which is renamed when complete; the index, written
 * atomically last and removed before a rebuild begins, is what makes a cache trusted, so
 * an interrupted build leaves no trusted cache and the next run builds it again. It is read
 * back whole or item by item within a memory budget (cached-feature-set.ts).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { Features } from '../../util/features.js';
import { CachedFeatureSet } from './cached-feature-set.js';
import type { InputItem, RunInput } from './run-input.js';

/** The index format's version: an index without it (or with another) is rebuilt, not read. */
const VERSION = 2;

interface CacheIndex {
  version: number;
  key: string;
  dim: number;
  frames: number[];
  /** Size of the data file. */
  bytes: number;
}

/** Default of {@link CachedFeaturesOptions.memoryBytes}: 2 GiB. */
export const DEFAULT_FEATURE_MEMORY = 2 * 1024 ** 3;

/** Options of {@link cachedFeatures}. */
export interface CachedFeaturesOptions {
  /**
   * A cache of at most this many bytes is read into memory; a larger one is read item by
   * item when asked for (default {@link DEFAULT_FEATURE_MEMORY}).
   */
  memoryBytes?: number;
  /** Called after each item's features are computed (not on a cache hit), with its amount. */
  onProgress?: (done: number, amount: number) => void;
}

/** The cache key of a manifest's items under a front end (and the reader's version, where it has one). */
export function featureCacheKey(items: readonly InputItem[], frontEnd: unknown, reader?: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(frontEnd));
  if (reader !== undefined) h.update(`\u0000reader ${reader}`);
  for (const e of items) h.update(`${e.path}\u0000${e.text}\u0000`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Unnormalised features of every entry (in manifest order), read from `dir/<name>.*` when
 * the cache matches, else computed and cached first.
 */
export async function cachedFeatures(
  dir: string, name: string, entries: readonly InputItem[], input: RunInput, options: CachedFeaturesOptions = {},
): Promise<CachedFeatureSet> {
  const key = featureCacheKey(entries, input.frontEnd, input.reader);
  const indexPath = join(dir, `${name}.json`);
  const dataPath = join(dir, `${name}.f32`);
  const index = trustedIndex(indexPath, dataPath, key, entries.length) ?? await buildCache(dataPath, indexPath, key, entries, input, options.onProgress);
  return new CachedFeatureSet(dataPath, index.dim, index.frames, options.memoryBytes ?? DEFAULT_FEATURE_MEMORY);
}

/** The index at `indexPath` if it is of this format, matches `key`, and its data file is complete. */
function trustedIndex(indexPath: string, dataPath: string, key: string, count: number): CacheIndex | null {
  if (!existsSync(indexPath) || !existsSync(dataPath)) return null;
  // A damaged index is rebuilt, not an error: it is only a cache.
  let index: Partial<CacheIndex> | null;
  try {
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as Partial<CacheIndex> | null;
  } catch {
    return null;
  }
  if (!index || typeof index !== 'object' || index.version !== VERSION || index.key !== key || !Array.isArray(index.frames) || index.frames.length !== count || typeof index.dim !== 'number') return null;
  const bytes = index.frames.reduce((a, n) => a + n * index.dim! * 4, 0);
  if (index.bytes !== bytes || statSync(dataPath).size !== bytes) return null;
  return index as CacheIndex;
}

/** Computes the features of `entries`, appending each to the data file as it comes; returns the index written. */
async function buildCache(
  dataPath: string, indexPath: string, key: string, entries: readonly InputItem[], input: RunInput, onProgress?: (done: number, amount: number) => void,
): Promise<CacheIndex> {
  // No index may stand beside data that is being replaced.
  rmSync(indexPath, { force: true });
  mkdirSync(dirname(dataPath), { recursive: true });
  const partial = `${dataPath}.partial`;
  const fd = writing(partial, () => openSync(partial, 'w')); // truncates what an interrupted build left
  const frames: number[] = [];
  let dim = 0;
  let bytes = 0;
  try {
    for (const [i, e] of entries.entries()) {
      let f: Features;
      try {
        f = await input.features(e);
      } catch (err) {
        throw new Error(`manifest line ${e.line} (${e.name}): ${err instanceof Error ? err.message : String(err)}`);
      }
      if (i === 0) dim = f.dim;
      else if (f.dim !== dim) throw new Error(`manifest line ${e.line} (${e.name}): features of ${f.dim} values per frame, the first item's ${dim}`);
      const raw = new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      writing(partial, () => { for (let done = 0; done < raw.byteLength;) done += writeSync(fd, raw, done, raw.byteLength - done, bytes + done); });
      bytes += raw.byteLength;
      frames.push(f.frames);
      onProgress?.(i + 1, e.amount);
    }
    writing(partial, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
  renameSync(partial, dataPath);
  const index: CacheIndex = { version: VERSION, key, dim, frames, bytes };
  writeFileAtomic(indexPath, JSON.stringify(index));
  return index;
}

/** Runs `write` on `path`, naming the file in its error (Node's names only the syscall). */
function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw new Error(`${path}: cannot write (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
