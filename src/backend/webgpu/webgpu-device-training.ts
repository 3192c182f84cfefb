import type { CtcLabels, DeviceTraining } from '../device-training.js';
import type { GpuView, WebGpuKernels } from './webgpu-kernels.js';
import { ctcOnDevice, sgdOnDevice, sumSquaresOnDevice } from './webgpu-training.js';

/** The backend's side that DeviceTraining needs: its kernels, views of its arrays, scratch. */
export interface WebGpuArrays {
  readonly kernels: WebGpuKernels;
  view(a: Float32Array, fn?: string): GpuView;
  alloc(length: number): Float32Array;
  free(a: Float32Array): void;
}

/** DeviceTraining over the WGSL programs of webgpu-training.ts. */
export class WebGpuDeviceTraining implements DeviceTraining {
  private readonly scratch = new Map<string, Float32Array>();

  constructor(private readonly be: WebGpuArrays) {}

  ctcLoss(logits: Float32Array, shape: readonly [number, number, number], labels: CtcLabels, grad: Float32Array, losses: Float32Array): void {
    const [T, B, C] = shape;
    if (logits.length !== T * B * C || grad.length < T * B * C) throw new Error(`ctcLoss: logits and grad must hold T * B * C = ${T * B * C} values`);
    if (losses.length < B) throw new Error(`ctcLoss: losses must hold ${B} values`);
    let alphaSize = 0;
    for (let b = 0; b < B; b++) alphaSize += labels.inputLengths[b]! * (2 * (labels.targetStarts[b + 1]! - labels.targetStarts[b]!) + 2);
    const v = (a: Float32Array): GpuView => this.be.view(a, 'ctcLoss');
    ctcOnDevice(this.be.kernels, T, B, C, labels, v(logits), v(this.get('probs', T * B * C)), v(this.get('logprobs', T * B * C)), v(this.get('alpha', alphaSize)), v(grad), v(losses));
  }

  sumSquares(x: Float32Array, out: Float32Array): void {
    sumSquaresOnDevice(this.be.kernels, x.length, this.be.view(x, 'sumSquares'), this.be.view(out, 'sumSquares'));
  }

  sgdStep(lr: number, momentum: number, params: Float32Array, grad: Float32Array, velocity: Float32Array, stats: Float32Array): void {
    const n = params.length;
    if (grad.length !== n || velocity.length !== n) throw new Error(`sgdStep: params, grad and velocity must have ${n} values`);
    const v = (a: Float32Array): GpuView => this.be.view(a, 'sgdStep');
    sgdOnDevice(this.be.kernels, n, lr, momentum, false, v(grad), v(stats), stats.length, v(params), v(velocity));
  }

  /** A scratch array of at least `length` floats (whole tensor: the programs need offset 0). */
  private get(key: string, length: number): Float32Array {
    let a = this.scratch.get(key);
    if (!a || a.length < length) {
      if (a) this.be.free(a);
      a = this.be.alloc(Math.max(1, Math.ceil(length * 1.25)));
      this.scratch.set(key, a);
    }
    return a;
  }
}
