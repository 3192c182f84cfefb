import type { Features } from '../util/features.js';

/** A padded time-major batch of feature matrices. */
export interface PaddedFeatures {
  /** [T, B, F], zero past each sequence's end. */
  x: Float32Array;
  shape: [number, number, number];
  lengths: Int32Array;
}

/** Pads `items[indices[b]]` into one time-major batch [T, B, F] (T = the longest). */
export function padFeatures(items: readonly Features[], indices: readonly number[]): PaddedFeatures {
  const B = indices.length;
  if (B === 0) throw new Error('padFeatures: empty batch');
  const F = items[indices[0]!]!.dim;
  let T = 0;
  for (const i of indices) {
    const f = items[i]!;
    if (f.dim !== F) throw new Error(`padFeatures: item ${i} has ${f.dim} features per frame, item ${indices[0]} ${F}`);
    T = Math.max(T, f.frames);
  }
  const x = new Float32Array(T * B * F);
  const lengths = new Int32Array(B);
  indices.forEach((i, b) => {
    const f = items[i]!;
    lengths[b] = f.frames;
    for (let t = 0; t < f.frames; t++) x.set(f.data.subarray(t * F, (t + 1) * F), (t * B + b) * F);
  });
  return { x, shape: [T, B, F], lengths };
}
