import type { Features } from './features.js';
import { checkFeatures } from './features.js';

/**
 * Kaldi's delta filters (add-deltas): order 0 is the identity, and order i is order i-1
 * convolved with the regression window j / sum(j^2), j = -window..window. Index k of
 * row i weighs the frame at offset k - (row length - 1) / 2.
 */
export function deltaScales(order: number, window: number): Float64Array[] {
  if (!Number.isInteger(order) || order < 0) throw new Error(`deltas: order must be a non-negative integer, got ${order}`);
  if (!Number.isInteger(window) || window < 1) throw new Error(`deltas: window must be a positive integer, got ${window}`);
  const scales = [Float64Array.of(1)];
  let norm = 0;
  for (let j = -window; j <= window; j++) norm += j * j;
  for (let i = 1; i <= order; i++) {
    const prev = scales[i - 1]!;
    const prevOff = (prev.length - 1) / 2;
    const cur = new Float64Array(prev.length + 2 * window);
    const curOff = prevOff + window;
    for (let j = -window; j <= window; j++) {
      for (let k = -prevOff; k <= prevOff; k++) cur[j + k + curOff]! += (j * prev[k + prevOff]!) / norm;
    }
    scales.push(cur);
  }
  return scales;
}

/**
 * Appends deltas up to `order` (1: deltas, 2: plus delta-deltas) to each frame, as Kaldi's
 * add-deltas does: frames beyond either end repeat the first or last frame. The output
 * has dim x (order + 1) columns: [static, delta, delta-delta].
 */
export function addDeltas(features: Features, order = 2, window = 2): Features {
  checkFeatures(features, 'addDeltas');
  const { data, frames, dim } = features;
  const scales = deltaScales(order, window);
  const outDim = dim * (order + 1);
  const out = new Float32Array(frames * outDim);
  const reach = order * window;
  // Row offsets of frames t - j and t + j (j = 1 .. reach), clamped to the ends.
  const before = new Int32Array(reach + 1);
  const after = new Int32Array(reach + 1);
  const acc = new Float64Array(dim);
  for (let t = 0; t < frames; t++) {
    const row = t * dim;
    for (let j = 1; j <= reach; j++) {
      before[j] = Math.max(0, t - j) * dim;
      after[j] = Math.min(frames - 1, t + j) * dim;
    }
    const dst = t * outDim;
    for (let d = 0; d < dim; d++) out[dst + d] = data[row + d]!;
    for (let i = 1; i <= order; i++) {
      // Row i weighs frame t + j by s[off + j]: the centre, then the pairs t -+ j, summed in float64.
      const s = scales[i]!;
      const off = i * window;
      const centre = s[off]!;
      for (let d = 0; d < dim; d++) acc[d] = centre * data[row + d]!;
      for (let j = 1; j <= off; j++) {
        const wb = s[off - j]!, wa = s[off + j]!, rb = before[j]!, ra = after[j]!;
        for (let d = 0; d < dim; d++) acc[d]! += wb * data[rb + d]! + wa * data[ra + d]!;
      }
      const o = dst + i * dim;
      for (let d = 0; d < dim; d++) out[o + d] = acc[d]!;
    }
  }
  return { data: out, frames, dim: outDim };
}
