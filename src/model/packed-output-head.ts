import type { Linear } from '../nn/linear.js';
import { type PackedLayout, packIndex, unpackIndex } from '../nn/packing.js';
import type { Workspace } from '../nn/workspace.js';

/**
 * The output layer shared by the CTC models: `fc` over the packed rows of the last
 * recurrent layer, hidden [layout.total, fc.inFeatures] -> logits [steps, B, fc.outFeatures]
 * time-major (a fresh array of the backend's, zero at padded frames).
 */
export function packedOutputHeadForward(
  fc: Linear, scratch: Workspace, layout: PackedLayout, hidden: Float32Array, steps: number,
): Float32Array {
  const K = fc.outFeatures;
  const lp = scratch.get('logits', layout.total * K);
  fc.forward(layout.total, hidden, lp);
  const logits = fc.backend.array(steps * layout.B * K);
  fc.backend.gatherRows(K, lp, unpackIndex(layout), logits);
  return logits;
}

/**
 * Backward of {@link packedOutputHeadForward}: dLogits [steps, B, fc.outFeatures] ->
 * d hidden [layout.total, fc.inFeatures] (a scratch view); accumulates fc's gradients.
 * Padded frames of dLogits are ignored.
 */
export function packedOutputHeadBackward(
  fc: Linear, scratch: Workspace, layout: PackedLayout, hidden: Float32Array, dLogits: Float32Array,
): Float32Array {
  const N = layout.total;
  const dlp = scratch.get('dlogits', N * fc.outFeatures);
  fc.backend.gatherRows(fc.outFeatures, dLogits, packIndex(layout), dlp);
  const dHidden = scratch.get('dhidden', N * fc.inFeatures);
  fc.backward(N, hidden, dlp, dHidden);
  return dHidden;
}
