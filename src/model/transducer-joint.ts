/**
 * The RNN-T joint network over a whole batch, as an explicit forward/backward pair:
 *   logits[b, t, u, :] = W_out tanh(encP[t, b, :] + predP[b, u, :]) + b_out
 * encP [T, B, J] (the encoder's projection, time-major), predP [B, U1, J] (the prediction
 * network's projection), W_out [V, J], b_out [V], logits [B, T, U1, V] (rnntLoss's layout).
 *
 * The hidden activations would be [B, T, U1, J], larger than the logits whenever J > V,
 * so they are never kept: both passes work through a few frames of one sequence at a
 * time (at most `chunkRows` (t, u) rows), and the backward pass recomputes the tanh.
 * Frames t >= frames[b] are skipped (their logits stay zero, their gradients are zero);
 * every u < U1 of a frame is computed, since the loss ignores positions past a target.
 */
import type { Backend } from '../backend/index.js';
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

/** h [(t - t0) * U1 + u, :] = tanh(encP[t, b] + predP[b, u]) for frames t0 .. t0 + n - 1. */
function hiddenBlock(d: JointDims, b: number, t0: number, n: number, encP: Float32Array, predP: Float32Array, h: Float32Array): void {
  const { B, U1, J } = d;
  for (let i = 0; i < n; i++) {
    const e = ((t0 + i) * B + b) * J;
    for (let u = 0; u < U1; u++) {
      const p = (b * U1 + u) * J, r = (i * U1 + u) * J;
      for (let j = 0; j < J; j++) h[r + j] = Math.tanh(encP[e + j]! + predP[p + j]!);
    }
  }
}

/**
 * Forward: writes logits [B, T, U1, V] (rows of frames past frames[b] untouched: pass a
 * zeroed array). `hidden` is scratch of at least JOINT_CHUNK_ROWS * J (or U1 * J) values.
 */
export function jointForward(
  be: Backend, d: JointDims, frames: ArrayLike<number>, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, bOut: Float32Array, logits: Float32Array, hidden: Float32Array,
): void {
  const { T, U1, J, V } = d;
  const step = framesPerChunk(U1);
  for (let b = 0; b < d.B; b++) {
    for (let t0 = 0; t0 < frames[b]!; t0 += step) {
      const n = Math.min(step, frames[b]! - t0), rows = n * U1;
      hiddenBlock(d, b, t0, n, encP, predP, hidden);
      const z = logits.subarray((b * T + t0) * U1 * V, (b * T + t0 + n) * U1 * V);
      fillRows(z, rows, bOut);
      // z [rows, V] += h [rows, J] W_out^T
      be.gemm(false, true, rows, V, J, 1, hidden, J, wOut, J, 1, z, V);
    }
  }
}

/**
 * Backward from dLogits [B, T, U1, V]: dW_out [V, J] and db_out [V] are accumulated (+=);
 * dEncP [T, B, J] and dPredP [B, U1, J] are overwritten. `hidden` and `dHidden` are
 * scratch of at least JOINT_CHUNK_ROWS * J (or U1 * J) values each.
 */
export function jointBackward(
  be: Backend, d: JointDims, frames: ArrayLike<number>, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, dLogits: Float32Array, dWOut: Float32Array, dBOut: Float32Array,
  dEncP: Float32Array, dPredP: Float32Array, hidden: Float32Array, dHidden: Float32Array,
): void {
  const { B, T, U1, J, V } = d;
  const step = framesPerChunk(U1);
  dEncP.fill(0, 0, T * B * J);
  dPredP.fill(0, 0, B * U1 * J);
  for (let b = 0; b < B; b++) {
    for (let t0 = 0; t0 < frames[b]!; t0 += step) {
      const n = Math.min(step, frames[b]! - t0), rows = n * U1;
      hiddenBlock(d, b, t0, n, encP, predP, hidden);
      const dz = dLogits.subarray((b * T + t0) * U1 * V, (b * T + t0 + n) * U1 * V);
      // dW_out [V, J] += dz^T [V, rows] h [rows, J]; db_out += column sums of dz
      be.gemm(true, false, V, J, rows, 1, dz, V, hidden, J, 1, dWOut, J);
      addColumnSums(be, rows, V, dz, V, dBOut);
      // dh [rows, J] = dz [rows, V] W_out [V, J]
      be.gemm(false, false, rows, J, V, 1, dz, V, wOut, J, 0, dHidden, J);
      // through tanh; the sum's gradient goes to both of its terms
      for (let i = 0; i < n; i++) {
        const e = ((t0 + i) * B + b) * J;
        for (let u = 0; u < U1; u++) {
          const p = (b * U1 + u) * J, r = (i * U1 + u) * J;
          for (let j = 0; j < J; j++) {
            const hv = hidden[r + j]!;
            const g = dHidden[r + j]! * (1 - hv * hv);
            dEncP[e + j] += g;
            dPredP[p + j] += g;
          }
        }
      }
    }
  }
}
