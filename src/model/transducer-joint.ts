/**
 * The RNN-T joint network over a whole batch, as an explicit forward/backward pair:
 *   logits[b, t, u, :] = W_out tanh(encP[t, b, :] + predP[b, u, :]) + b_out
 * encP [T, B, J] (the encoder's projection, time-major), predP [B, U1, J] (the prediction
 * network's projection), W_out [V, J], b_out [V], logits [B, T, U1, V] (rnntLoss's layout).
 *
 * The hidden activations would be [B, T, U1, J], larger than the logits whenever J > V,
 * so they are never kept: both passes work through a few frames of one sequence at a
 * time (at most `chunkRows` (t, u) rows), and the backward pass recomputes the tanh.
 * Frames t >= frames[b] and label positions u >= labels[b] (a target's length + 1) are
 * skipped: their logits stay zero and pass no gradient back. The tanh is fastTanh (float32
 * precision): Math.tanh took about half of the joint's time, forward and backward.
 */
import type { Backend } from '../backend/index.js';
import { fastTanh } from '../math/tanh.js';
import { addColumnSums, fillRows } from '../nn/workspace.js';

/** Sizes of a joint pass. */
export interface JointDims {
  B: number;
  T: number;
  U1: number;
  J: number;
  V: number;
}

/** (t, u) rows per chunk: a [chunkRows, J] hidden block and its gradient stay small. */
export const JOINT_CHUNK_ROWS = 2048;

/** Frames per chunk for sequences of U1 label positions. */
function framesPerChunk(U1: number): number {
  return Math.max(1, Math.floor(JOINT_CHUNK_ROWS / U1));
}

/** h [(t - t0) * Ub + u, :] = tanh(encP[t, b] + predP[b, u]) for frames t0 .. t0 + n - 1 and u < Ub. */
function hiddenBlock(d: JointDims, b: number, t0: number, n: number, Ub: number, encP: Float32Array, predP: Float32Array, h: Float32Array): void {
  const { B, U1, J } = d;
  for (let i = 0; i < n; i++) {
    const e = ((t0 + i) * B + b) * J;
    for (let u = 0; u < Ub; u++) {
      const p = (b * U1 + u) * J, r = (i * Ub + u) * J;
      for (let j = 0; j < J; j++) h[r + j] = fastTanh(encP[e + j]! + predP[p + j]!);
    }
  }
}

/**
 * Rows of frames t0 .. t0 + n - 1, positions u < Ub, between the logits layout [.., U1, V]
 * and a compact [n * Ub, V] block (toBlock: gather; else scatter).
 */
function moveRows(d: JointDims, b: number, t0: number, n: number, Ub: number, full: Float32Array, block: Float32Array, toBlock: boolean): void {
  const { T, U1, V } = d;
  for (let i = 0; i < n; i++) {
    const src = ((b * T + t0 + i) * U1) * V, dst = i * Ub * V;
    if (toBlock) block.set(full.subarray(src, src + Ub * V), dst);
    else full.set(block.subarray(dst, dst + Ub * V), src);
  }
}

/**
 * Forward: writes logits [B, T, U1, V] at the real frames and label positions of each
 * sequence (the rest untouched: pass a zeroed array). labels[b] = target length + 1.
 * `hidden` and `block` are scratch of at least JOINT_CHUNK_ROWS (or U1) rows of J and V values.
 */
export function jointForward(
  be: Backend, d: JointDims, frames: ArrayLike<number>, labels: ArrayLike<number>, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, bOut: Float32Array, logits: Float32Array, hidden: Float32Array, block: Float32Array,
): void {
  const { T, U1, J, V } = d;
  for (let b = 0; b < d.B; b++) {
    const Ub = labels[b]!, step = framesPerChunk(Ub);
    for (let t0 = 0; t0 < frames[b]!; t0 += step) {
      const n = Math.min(step, frames[b]! - t0), rows = n * Ub;
      hiddenBlock(d, b, t0, n, Ub, encP, predP, hidden);
      // every position of these frames is real: write in place, else through the compact block
      const z = Ub === U1 ? logits.subarray((b * T + t0) * U1 * V, (b * T + t0 + n) * U1 * V) : block;
      fillRows(be, z, rows, bOut);
      // z [rows, V] += h [rows, J] W_out^T
      be.gemm(false, true, rows, V, J, 1, hidden, J, wOut, J, 1, z, V);
      if (Ub < U1) moveRows(d, b, t0, n, Ub, logits, block, false);
    }
  }
}

/**
 * Backward from dLogits [B, T, U1, V] (read at the positions the forward wrote):
 * dW_out [V, J] and db_out [V] are accumulated (+=); dEncP [T, B, J] and dPredP [B, U1, J]
 * are overwritten. Scratch as for {@link jointForward}, plus `dHidden` like `hidden`.
 */
export function jointBackward(
  be: Backend, d: JointDims, frames: ArrayLike<number>, labels: ArrayLike<number>, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, dLogits: Float32Array, dWOut: Float32Array, dBOut: Float32Array,
  dEncP: Float32Array, dPredP: Float32Array, hidden: Float32Array, dHidden: Float32Array, block: Float32Array,
): void {
  const { B, T, U1, J, V } = d;
  dEncP.fill(0, 0, T * B * J);
  dPredP.fill(0, 0, B * U1 * J);
  for (let b = 0; b < B; b++) {
    const Ub = labels[b]!, step = framesPerChunk(Ub);
    for (let t0 = 0; t0 < frames[b]!; t0 += step) {
      const n = Math.min(step, frames[b]! - t0), rows = n * Ub;
      hiddenBlock(d, b, t0, n, Ub, encP, predP, hidden);
      if (Ub < U1) moveRows(d, b, t0, n, Ub, dLogits, block, true);
      const dz = Ub === U1 ? dLogits.subarray((b * T + t0) * U1 * V, (b * T + t0 + n) * U1 * V) : block.subarray(0, rows * V);
      // dW_out [V, J] += dz^T [V, rows] h [rows, J]; db_out += column sums of dz
      be.gemm(true, false, V, J, rows, 1, dz, V, hidden, J, 1, dWOut, J);
      addColumnSums(be, rows, V, dz, V, dBOut);
      // dh [rows, J] = dz [rows, V] W_out [V, J]
      be.gemm(false, false, rows, J, V, 1, dz, V, wOut, J, 0, dHidden, J);
      // through tanh; the sum's gradient goes to both of its terms
      for (let i = 0; i < n; i++) {
        const e = ((t0 + i) * B + b) * J;
        for (let u = 0; u < Ub; u++) {
          const p = (b * U1 + u) * J, r = (i * Ub + u) * J;
          for (let j = 0; j < J; j++) {
            const hv = hidden[r + j]!;
            const g = dHidden[r + j]! * (1 - hv * hv);
            dEncP[e + j]! += g;
            dPredP[p + j]! += g;
          }
        }
      }
    }
  }
}
