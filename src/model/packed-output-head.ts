import type { Linear } from '../nn/linear.js';
import { type PackedLayout, pack, unpack } from '../nn/packing.js';
import type { Workspace } from '../nn/workspace.js';

/**
 * The output layer shared by the CTC models: `fc` over the packed rows of the last
 * recurrent layer, hidden [layout.total, fc.inFeatures] -> logits [steps, B, fc.outFeatures]
 * time-major (a fresh array, zero at padded frames).
 */
export function packedOutputHeadForward(
  fc: Linear, scratch: Workspace, layout: PackedLayout, hidden: Float32Array, steps: number,
): Float32Array {
  const K = fc.outFeatures;
  const lp = scratch.get('logits', layout.total * K);
  fc.forward(layout.total, hidden, lp);
  const logits = new Float32Array(steps * layout.B * K);
  unpack(layout, K, lp, logits);
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
  pack(layout, fc.outFeatures, dLogits, dlp);
  const dHidden = scratch.get('dhidden', N * fc.inFeatures);
  fc.backward(N, hidden, dlp, dHidden);
  return dHidden;
}
