import type { AdamStepOptions, CtcLabels, DeviceTraining, SgdStepOptions } from '../device-training.js';
import type { GpuTensor, GpuView, WebGpuKernels } from './webgpu-kernels.js';
import { ctcOnDevice, perElement, sumSquaresOnDevice } from './webgpu-training.js';
import { ScratchArrays } from './scratch-arrays.js';

/** The backend's side that DeviceTraining needs: its kernels, views of its arrays, scratch. */
export interface WebGpuArrays {
  readonly kernels: WebGpuKernels;
  view(a: Float32Array, fn?: string): GpuView;
  alloc(length: number): Float32Array;
  free(a: Float32Array): void;
}

/** DeviceTraining over the WGSL programs of webgpu-training.ts. */
export class WebGpuDeviceTraining implements DeviceTraining {
  private readonly scratch: ScratchArrays;

  constructor(private readonly be: WebGpuArrays) {
    this.scratch = new ScratchArrays(be);
  }

  ctcLoss(logits: Float32Array, shape: readonly [number, number, number], labels: CtcLabels, grad: Float32Array, losses: Float32Array): void {
    const [T, B, C] = shape;
    if (logits.length !== T * B * C || grad.length < T * B * C) throw new Error(`ctcLoss: logits and grad must hold T * B * C = ${T * B * C} values`);
    if (losses.length < B) throw new Error(`ctcLoss: losses must hold ${B} values`);
    let alphaSize = 0;
    for (let b = 0; b < B; b++) alphaSize += labels.inputLengths[b]! * (2 * (labels.targetStarts[b + 1]! - labels.targetStarts[b]!) + 2);
    const v = (a: Float32Array): GpuView => this.be.view(a, 'ctcLoss');
    ctcOnDevice(this.be.kernels, T, B, C, labels, v(logits), v(this.scratch.get('probs', T * B * C)), v(this.scratch.get('logprobs', T * B * C)), v(this.scratch.get('alpha', alphaSize)), v(grad), v(losses));
  }

  sumSquares(x: Float32Array, out: Float32Array): void {
    sumSquaresOnDevice(this.be.kernels, x.length, this.be.view(x, 'sumSquares'), this.be.view(out, 'sumSquares'));
  }

  clipGrad(grad: Float32Array, maxNorm: number, sq: Float32Array): void {
    if (!(maxNorm > 0)) throw new Error(`clipGrad: maxNorm must be > 0, got ${maxNorm}`);
    const g = this.whole(grad, 'clipGrad'), s = this.be.view(sq, 'clipGrad');
    const u = new ArrayBuffer(16);
    new Uint32Array(u).set([grad.length, s.offset ?? 0]);
    new Float32Array(u).set([maxNorm], 2);
    perElement(this.be.kernels, 'clip', grad.length, u, [s.t, g.t]);
  }

  sgdStep(o: SgdStepOptions, params: Float32Array, grad: Float32Array, velocity: Float32Array, stats: Float32Array): void {
    const n = this.sameLength('sgdStep', params, grad, velocity);
    const st = this.be.view(stats, 'sgdStep');
    const u = new ArrayBuffer(32);
    new Uint32Array(u).set([n, stats.length, 0, st.offset ?? 0, 0, 0, 0, o.nesterov ? 1 : 0]);
    new Float32Array(u).set([o.lr, o.momentum, o.weightDecay], 4);
    const w = (a: Float32Array): GpuTensor => this.whole(a, 'sgdStep').t;
    perElement(this.be.kernels, 'sgd', n, u, [w(grad), st.t, w(params), w(velocity)]);
  }

  adamStep(o: AdamStepOptions, params: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, stats: Float32Array): void {
    const n = this.sameLength('adamStep', params, grad, m, v);
    const st = this.be.view(stats, 'adamStep');
    const u = new ArrayBuffer(48);
    new Uint32Array(u).set([n, stats.length, st.offset ?? 0]);
    new Float32Array(u).set([o.stepSize, o.beta1, o.beta2, o.eps, o.weightDecay, o.c2], 4);
    const w = (a: Float32Array): GpuTensor => this.whole(a, 'adamStep').t;
    perElement(this.be.kernels, 'adam', n, u, [w(grad), st.t, w(params), w(m), w(v)]);
  }

  addNoise(x: Float32Array, sigma: number, seeds: readonly [number, number]): void {
    const t = this.be.view(x, 'addNoise');
    const u = new ArrayBuffer(32);
    new Uint32Array(u).set([x.length, t.offset ?? 0, seeds[0] >>> 0, seeds[1] >>> 0]);
    new Float32Array(u).set([sigma], 4);
    perElement(this.be.kernels, 'weightNoise', x.length, u, [t.t]);
  }

  /** The view of a whole array (the per-parameter programs index from 0). */
  private whole(a: Float32Array, fn: string): GpuView {
    const v = this.be.view(a, fn);
    if ((v.offset ?? 0) !== 0) throw new Error(`${fn}: its arrays must start their tensors (got a view at offset ${v.offset})`);
    return v;
  }

  private sameLength(fn: string, ...arrays: Float32Array[]): number {
    const n = arrays[0]!.length;
    if (arrays.some((a) => a.length !== n)) throw new Error(`${fn}: params, grad and the optimiser state must have ${n} values each, got ${arrays.map((a) => a.length).join(', ')}`);
    return n;
  }
}
