import type { Features } from '../util/features.js';
import { checkFeatures } from '../util/features.js';

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
  const outDim = dim * (order + 1);
  const out = new Float32Array(frames * outDim);
  for (let t = 0; t < frames; t++) out.set(data.subarray(t * dim, (t + 1) * dim), t * outDim);
  deltasInPlace(out, frames, outDim, dim, order, window);
  return { data: out, frames, dim: outDim };
}

/**
 * Fills columns [i dim, (i + 1) dim) of each row of `data` (frames x stride, stride >=
 * (order + 1) dim) with the order-i deltas of columns [0, dim), i = 1 .. order, as
 * {@link addDeltas}: {@link deltaInteriorRows} away from the ends, {@link deltaEdgeRows}
 * near them.
 */
export function deltasInPlace(data: Float32Array, frames: number, stride: number, dim: number, order: number, window: number): void {
  checkDeltaLayout(stride, dim, order);
  for (let i = 1; i <= order; i++) deltaInteriorRows(data, stride, dim, i, window, i * window, frames - i * window);
  deltaEdgeRows(data, frames, stride, dim, order, window);
}

/** Throws unless rows of `stride` hold static columns and `order` blocks of deltas. */
export function checkDeltaLayout(stride: number, dim: number, order: number): void {
  if (stride < dim * (order + 1)) throw new Error(`deltas: rows of ${stride} cannot hold ${order + 1} x ${dim} columns`);
}

/**
 * Order-i deltas of rows [from, to) of `data` (rows of `stride`): the regression window
 * over their order i - 1 columns, which rows from - window .. to + window - 1 must hold.
 * This is Kaldi's order-i filter regrouped (the order i - 1 filter convolved with the
 * window), for frames at least i x window from both ends, where Kaldi does not clamp.
 */
export function deltaInteriorRows(data: Float32Array, stride: number, dim: number, i: number, window: number, from: number, to: number): void {
  let norm = 0;
  for (let j = 1; j <= window; j++) norm += 2 * j * j;
  const inv = 1 / norm;
  const src = (i - 1) * dim;
  const dst = i * dim;
  for (let t = from; t < to; t++) {
    const row = t * stride;
    const at = row + src;
    for (let d = 0; d < dim; d++) {
      let v = 0;
      for (let j = 1, o = stride; j <= window; j++, o += stride) v += j * (data[at + o + d]! - data[at - o + d]!);
      data[row + dst + d] = v * inv;
    }
  }
}

/**
 * Order-i deltas (i = 1 .. order) of the rows within i x window of either end, where Kaldi
 * clamps on the original frames: its order-i filter over the static columns [0, dim).
 */
export function deltaEdgeRows(data: Float32Array, frames: number, stride: number, dim: number, order: number, window: number): void {
  const scales = deltaScales(order, window);
  const acc = new Float64Array(dim);
  for (let i = 1; i <= order; i++) {
    const s = scales[i]!;
    const off = i * window;
    const lo = Math.min(off, frames);
    const hi = Math.max(lo, frames - off);
    for (let t = 0; t < frames; t = t + 1 === lo ? hi : t + 1) { // rows [0, lo), then [hi, frames)
      const row = t * stride;
      // The centre, then the pairs t -+ j (clamped to the ends), summed in float64.
      const centre = s[off]!;
      for (let d = 0; d < dim; d++) acc[d] = centre * data[row + d]!;
      for (let j = 1; j <= off; j++) {
        const wb = s[off - j]!, wa = s[off + j]!;
        const rb = Math.max(0, t - j) * stride, ra = Math.min(frames - 1, t + j) * stride;
        for (let d = 0; d < dim; d++) acc[d]! += wb * data[rb + d]! + wa * data[ra + d]!;
      }
      for (let d = 0; d < dim; d++) data[row + i * dim + d] = acc[d]!;
    }
  }
}
