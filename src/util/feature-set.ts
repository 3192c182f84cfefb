import type { Features } from './features.js';

/**
 * The features of a set of items, read one item at a time: an array of features, or a
 * cache on disk that is larger than memory. The frame counts are known without reading
 * any features (batching needs only them).
 */
export interface FeatureSet {
  /** How many items. */
  readonly length: number;
  /** Frames of each item. */
  readonly frames: readonly number[];
  /** The features of item `i` (0-based). Callers must not modify them: they may be shared. */
  get(i: number): Features;
}

/** `feats` as a {@link FeatureSet} (a FeatureSet is returned as it is). */
export function featureSetOf(feats: readonly Features[] | FeatureSet): FeatureSet {
  if (!Array.isArray(feats)) return feats as FeatureSet;
  const items = feats as readonly Features[];
  return {
    length: items.length,
    frames: items.map((f) => f.frames),
    get: (i) => {
      const f = items[i];
      if (!f) throw new Error(`FeatureSet.get: item ${i} of ${items.length}`);
      return f;
    },
  };
}
