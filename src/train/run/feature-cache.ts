/**
 * Features of a manifest's items (utterances or line images), computed once and cached in
 * the run directory (one float32 file and a JSON index per manifest, written atomically),
 * so that each epoch and each resumed session reads them instead of decoding and filtering
 * audio or images again. The cache key covers the manifest's entries and the front-end
 * config: change either and the features are recomputed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Features } from '../../util/features.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { InputItem, RunInput } from './run-input.js';

interface CacheIndex {
  key: string;
  dim: number;
  frames: number[];
}

/** The cache key of a manifest's items under a front end. */
export function featureCacheKey(items: readonly InputItem[], frontEnd: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(frontEnd));
  for (const e of items) h.update(`${e.path}\u0000${e.text}\u0000`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Unnormalised features of every entry (in manifest order), read from `dir/<name>.*` when
 * the cache matches, else computed (calling `onProgress` after each) and cached.
 */
export function cachedFeatures(
  dir: string, name: string, entries: readonly InputItem[], input: RunInput, onProgress?: (done: number, amount: number) => void,
): Features[] {
  const key = featureCacheKey(entries, input.frontEnd);
  const indexPath = join(dir, `${name}.json`);
  const dataPath = join(dir, `${name}.f32`);
  if (existsSync(indexPath) && existsSync(dataPath)) {
    const index = cacheIndex(indexPath);
    if (index && index.key === key && index.frames.length === entries.length) {
      const bytes = readFileSync(dataPath);
      const total = index.frames.reduce((a, b) => a + b, 0);
      if (bytes.byteLength === total * index.dim * 4) {
        const data = new Float32Array(total * index.dim);
        new Uint8Array(data.buffer).set(bytes);
        return split(data, index.frames, index.dim);
      }
    }
  }
  const feats: Features[] = [];
  let total = 0;
  entries.forEach((e, i) => {
    let f: Features;
    try {
      f = input.features(e);
    } catch (err) {
      throw new Error(`manifest line ${e.line} (${e.name}): ${err instanceof Error ? err.message : String(err)}`);
    }
    feats.push(f);
    total += f.frames;
    onProgress?.(i + 1, e.amount);
  });
  const dim = feats[0]?.dim ?? 0;
  const data = new Float32Array(total * dim);
  let off = 0;
  for (const f of feats) {
    data.set(f.data, off);
    off += f.data.length;
  }
  // Data first, index second: an index is only ever beside complete data.
  writeFileAtomic(dataPath, new Uint8Array(data.buffer));
  writeFileAtomic(indexPath, JSON.stringify({ key, dim, frames: feats.map((f) => f.frames) } satisfies CacheIndex));
  return split(data, feats.map((f) => f.frames), dim);
}

function split(data: Float32Array, frames: readonly number[], dim: number): Features[] {
  const out: Features[] = [];
  let off = 0;
  for (const n of frames) {
    out.push({ data: data.subarray(off, off + n * dim), frames: n, dim });
    off += n * dim;
  }
  return out;
}

/** The cache's index, or null when it is damaged (the cache is then rebuilt: it is only a cache). */
function cacheIndex(path: string): CacheIndex | null {
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as CacheIndex | null;
    return index && typeof index === 'object' && Array.isArray(index.frames) ? index : null;
  } catch {
    return null;
  }
}
