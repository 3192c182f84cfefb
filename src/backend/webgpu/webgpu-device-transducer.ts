import type { DeviceTransducer, JointShape, RnntLabels } from '../device-transducer.js';
import { jointBackwardWgsl, jointHiddenWgsl } from './joint-wgsl.js';
import { rnntGradWgsl, rnntLatticeWgsl } from './rnnt-wgsl.js';
import { BufferUsage } from './usage.js';
import type { WebGpuArrays } from './webgpu-device-training.js';
import type { GpuView } from './webgpu-kernels.js';
import { perElement } from './webgpu-training.js';
import { ScratchArrays } from './scratch-arrays.js';

/** The programs of this file, compiled with the backend's kernels. */
export const transducerPrograms = { jointHidden: jointHiddenWgsl, jointBackward: jointBackwardWgsl, rnntLattice: rnntLatticeWgsl, rnntGrad: rnntGradWgsl };

/** DeviceTransducer over the WGSL programs of joint-wgsl.ts and rnnt-wgsl.ts. */
export class WebGpuDeviceTransducer implements DeviceTransducer {
  private readonly scratch: ScratchArrays;

  constructor(private readonly be: WebGpuArrays) {
    this.scratch = new ScratchArrays(be);
  }

  jointHidden(d: JointShape, frames: Int32Array, labels: Int32Array, encP: Float32Array, predP: Float32Array, hidden: Float32Array): void {
    const { B, T, U1, J } = d;
    const n = B * T * U1 * J;
    this.check('jointHidden', d, frames, labels, [['encP', encP, T * B * J], ['predP', predP, B * U1 * J], ['hidden', hidden, n]]);
    if (n === 0) return;
    const [e, p, h] = [encP, predP, hidden].map((a) => this.be.view(a, 'jointHidden')) as [GpuView, GpuView, GpuView];
    const u = new Uint32Array([B, T, U1, J, e.offset ?? 0, p.offset ?? 0, h.offset ?? 0, 0]);
    perElement(this.be.kernels, 'jointHidden', n, u.buffer, [...this.tables(frames, labels), e.t, p.t, h.t]);
  }

  jointBackward(d: JointShape, frames: Int32Array, labels: Int32Array, hidden: Float32Array, dHidden: Float32Array, dEncP: Float32Array, dPredP: Float32Array): void {
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

  /**
   * Log-softmax rows of the logits into scratch, the lattices (one workgroup per sequence,
   * rnntLatticeWgsl) writing the losses, then the gradient (one thread per element).
   */
  rnntLoss(logits: Float32Array, shape: readonly [number, number, number, number], labels: RnntLabels, grad: Float32Array, losses: Float32Array): void {
    const [B, T, U1, V] = shape;
    const n = B * T * U1 * V;
    if (logits.length !== n || grad.length < n) throw new Error(`rnntLoss: logits and grad must hold B * T * U1 * V = ${n} values`);
    if (losses.length < B) throw new Error(`rnntLoss: losses must hold ${B} values`);
    if (B === 0) return;
    const seqs = new Int32Array(4 * B);
    let cells = 0;
    for (let b = 0; b < B; b++) {
      const Ub = labels.targetStarts[b + 1]! - labels.targetStarts[b]!;
      seqs.set([labels.frames[b]!, Ub, labels.targetStarts[b]!, cells], 4 * b);
      cells += 4 * labels.frames[b]! * (Ub + 1); // alpha and beta, hi and lo parts
    }
    const k = this.be.kernels, v = (a: Float32Array): GpuView => this.be.view(a, 'rnntLoss');
    const [lg, gr, ls] = [logits, grad, losses].map(v) as [GpuView, GpuView, GpuView];
    if ([gr, ls].some((x) => (x.offset ?? 0) !== 0)) throw new Error('rnntLoss: grad and losses must start their tensors');
    const logp = v(this.scratch.get('logp', n)), lat = v(this.scratch.get('lattice', cells));
    k.softmaxRows(true, B * T * U1, V, lg, V, logp, V);
    const params = new Uint32Array([T, U1, V, labels.blank, B, 0x7fc00000, 0, 0]).buffer;
    const targets = labels.targets.length > 0 ? labels.targets : new Int32Array(1);
    // fresh tables for each program: a batch submit in between frees the first ones
    const tables = (): Array<{ buffer: GPUBuffer }> => this.tables(seqs, targets);
    k.run('rnntLattice', params, [logp.t, ...tables(), lat.t, ls.t], B);
    const scales = this.tables(new Float32Array(B).fill(labels.gradScale))[0]!;
    perElement(k, 'rnntGrad', n, params, [logp.t, ...tables(), lat.t, ls.t, scales, gr.t]);
  }

  /** Typed arrays as storage tables (freed after the next submit). */
  private tables(...arrays: Array<Int32Array | Float32Array>): Array<{ buffer: GPUBuffer }> {
    const k = this.be.kernels;
    return arrays.map((a) => ({ buffer: k.constant(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), BufferUsage.STORAGE) }));
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
