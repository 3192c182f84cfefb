import type { DeviceJoint, JointShape } from '../device-joint.js';
import { jointBackwardWgsl, jointHiddenWgsl } from './joint-wgsl.js';
import { BufferUsage } from './usage.js';
import type { WebGpuArrays } from './webgpu-device-training.js';
import type { GpuView } from './webgpu-kernels.js';
import { perElement } from './webgpu-training.js';

/** The programs of this file, compiled with the backend's kernels. */
export const jointPrograms = { jointHidden: jointHiddenWgsl, jointBackward: jointBackwardWgsl };

/** DeviceJoint over the WGSL programs of joint-wgsl.ts. */
export class WebGpuDeviceJoint implements DeviceJoint {
  constructor(private readonly be: WebGpuArrays) {}

  hidden(d: JointShape, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array, hidden: Float32Array): void {
    const { B, T, U1, J } = d;
    const n = B * T * U1 * J;
    this.check('jointHidden', d, frames, labels, [['encP', encP, T * B * J], ['predP', predP, B * U1 * J], ['hidden', hidden, n]]);
    if (n === 0) return;
    const [e, p, h] = [encP, predP, hidden].map((a) => this.be.view(a, 'jointHidden')) as [GpuView, GpuView, GpuView];
    const u = new Uint32Array([B, T, U1, J, e.offset ?? 0, p.offset ?? 0, h.offset ?? 0, 0]);
    perElement(this.be.kernels, 'jointHidden', n, u.buffer, [...this.tables(frames, labels), e.t, p.t, h.t]);
  }

  backward(d: JointShape, frames: Int32Array, labels: Int32Array, hidden: Float32Array, dHidden: Float32Array, dEncP: Float32Array, dPredP: Float32Array): void {
    const { B, T, U1, J } = d;
    const n = B * T * U1 * J;
    this.check('jointBackward', d, frames, labels, [['hidden', hidden, n], ['dHidden', dHidden, n], ['dEncP', dEncP, T * B * J], ['dPredP', dPredP, B * U1 * J]]);
    const outs = T * B * J + B * U1 * J;
    if (outs === 0) return;
    const [h, dh, de, dp] = [hidden, dHidden, dEncP, dPredP].map((a) => this.be.view(a, 'jointBackward')) as [GpuView, GpuView, GpuView, GpuView];
    if (de.t.buffer === dp.t.buffer) throw new Error('jointBackward: dEncP and dPredP must be different arrays');
    const u = new Uint32Array([B, T, U1, J, h.offset ?? 0, dh.offset ?? 0, de.offset ?? 0, dp.offset ?? 0]);
    perElement(this.be.kernels, 'jointBackward', outs, u.buffer, [...this.tables(frames, labels), h.t, dh.t, de.t, dp.t]);
  }

  /** The frames and label positions of the batch as storage tables (freed after the next submit). */
  private tables(frames: Int32Array, labels: Int32Array): Array<{ buffer: GPUBuffer }> {
    const k = this.be.kernels;
    return [frames, labels].map((a) => ({ buffer: k.constant(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), BufferUsage.STORAGE) }));
  }

  private check(fn: string, d: JointShape, frames: Int32Array, labels: Int32Array, arrays: Array<[string, Float32Array, number]>): void {
    if (frames.length !== d.B || labels.length !== d.B) throw new Error(`${fn}: frames and labels must have B = ${d.B} entries`);
    for (let b = 0; b < d.B; b++) {
      if (!(frames[b]! >= 0 && frames[b]! <= d.T && labels[b]! >= 0 && labels[b]! <= d.U1)) {
        throw new Error(`${fn}: sequence ${b} has ${frames[b]} frames and ${labels[b]} label positions, outside [0, ${d.T}] and [0, ${d.U1}]`);
      }
    }
    for (const [what, a, n] of arrays) if (a.length < n) throw new Error(`${fn}: ${what} has ${a.length} values, needs ${n}`);
  }
}
