/**
 * The RNN-T joint network of transducer-joint.ts on a device backend (webgpu), over the
 * whole batch at once: hidden [B*T*U1, J] = tanh(encP + predP) by the backend's
 * DeviceTransducer, logits [B*T*U1, V] = hidden W_out^T + b_out by one gemm; backward: dW_out,
 * db_out and dHidden by gemms, then DeviceTransducer reduces the tanh's gradient onto encP and
 * predP. The hidden block is recomputed in backward rather than kept (as on the CPU). Rows
 * past a sequence's frames or label positions have zero hidden values, so their logits are
 * b_out (the CPU leaves zeros there); rnntLoss reads neither, and their gradient is zero.
 */
import type { Backend, DeviceTransducer } from '../backend/index.js';
import { addColumnSums, fillRows } from '../nn/workspace.js';
import type { JointDims } from './transducer-joint.js';

/** The device's transducer kernels; throws naming the backend where it has none. */
export function deviceTransducer(be: Backend): DeviceTransducer {
  if (!be.transducer) throw new Error(`RnntModel: backend ${be.name} keeps arrays on a device but has no transducer kernels`);
  return be.transducer;
}

/** Forward: logits [B, T, U1, V] (every row written); `hidden` scratch of B*T*U1*J values. */
export function jointForwardDevice(
  be: Backend, d: JointDims, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, bOut: Float32Array, logits: Float32Array, hidden: Float32Array,
): void {
  const { B, T, U1, J, V } = d, rows = B * T * U1;
  deviceTransducer(be).jointHidden(d, frames, labels, encP, predP, hidden);
  fillRows(be, logits, rows, bOut);
  be.gemm(false, true, rows, V, J, 1, hidden, J, wOut, J, 1, logits, V);
}

/**
 * Backward from dLogits [B, T, U1, V] (zero at the rows rnntLoss does not read): dW_out and
 * db_out accumulated, dEncP [T, B, J] and dPredP [B, U1, J] overwritten; `hidden` and
 * `dHidden` scratch of B*T*U1*J values.
 */
export function jointBackwardDevice(
  be: Backend, d: JointDims, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array,
  wOut: Float32Array, dLogits: Float32Array, dWOut: Float32Array, dBOut: Float32Array,
  dEncP: Float32Array, dPredP: Float32Array, hidden: Float32Array, dHidden: Float32Array,
): void {
  const { B, T, U1, J, V } = d, rows = B * T * U1;
  const joint = deviceTransducer(be);
  joint.jointHidden(d, frames, labels, encP, predP, hidden);
  be.gemm(true, false, V, J, rows, 1, dLogits, V, hidden, J, 1, dWOut, J);
  addColumnSums(be, rows, V, dLogits, V, dBOut);
  be.gemm(false, false, rows, J, V, 1, dLogits, V, wOut, J, 0, dHidden, J);
  joint.jointBackward(d, frames, labels, hidden, dHidden, dEncP, dPredP);
}
