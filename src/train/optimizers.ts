import type { DeviceTraining } from '../backend/index.js';
/**
 * Optimisers over one flat parameter vector (see nn/parameters.ts). Each keeps its state in
 * flat Float32Arrays so that checkpoints can store and restore it exactly.
 */

/** What a checkpoint stores of an optimiser: hyper-parameters, counters, state tensors. */
export interface OptimizerState {
  kind: 'sgd' | 'adam';
  /** JSON-able hyper-parameters and counters. */
  hyper: Record<string, number | boolean>;
  /** Per-parameter state, each as long as the parameter vector. */
  tensors: Record<string, Float32Array>;
}

/** An optimiser: one update of `params` from `grad` at learning rate `lr`. */
export interface Optimizer {
  readonly kind: 'sgd' | 'adam';
  step(params: Float32Array, grad: Float32Array, lr: number): void;
  state(): OptimizerState;
  /**
   * The same update on a device backend's arrays, enqueued; the device skips it when a
   * value of `stats` is not finite. Returns what to call once the caller has read back
   * whether it was applied. Absent where the optimiser has no device kernel.
   */
  stepOnDevice?(device: DeviceArrays, params: Float32Array, grad: Float32Array, lr: number, stats: Float32Array): (applied: boolean) => void;
  /**
   * The state tensors that live on a device backend (after {@link Optimizer.stepOnDevice}),
   * whose host copies must be read back before {@link Optimizer.state}; empty on the host.
   */
  deviceTensors?(): Float32Array[];
}

/** What an optimiser needs of a device backend: its training kernels, and arrays for its state. */
export interface DeviceArrays {
  readonly training: DeviceTraining;
  /** A zeroed device array. */
  alloc(length: number): Float32Array;
  /** Makes the device copy of an array equal to its host values. */
  upload(a: Float32Array): void;
}

/**
 * A device array for an optimiser's state tensor: `current` itself once it lives there,
 * else a new one holding its values (a state restored from a checkpoint), or zeros.
 */
function resident(device: DeviceArrays, current: Float32Array | undefined, n: number, onDevice: Set<Float32Array>): Float32Array {
  if (current && onDevice.has(current)) return current;
  const a = device.alloc(n);
  if (current) {
    checkLength('optimiser state', current, n);
    a.set(current);
    device.upload(a);
  }
  onDevice.add(a);
  return a;
}

/** SGD options (PyTorch's semantics). */
export interface SgdOptions {
  /** Default 0 (the CTC papers use 0.9). */
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient; default 0. */
  weightDecay?: number;
}

/**
 * SGD with momentum, as torch.optim.SGD: v = mu v + g (v = g on the first step);
 * p -= lr v (Nesterov: p -= lr (g + mu v)).
 */
export class Sgd implements Optimizer {
  readonly kind = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private velocity: Float32Array | undefined;
  private steps = 0;

  constructor(options: SgdOptions = {}) {
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`Sgd: momentum must be in [0, 1), got ${this.momentum}`);
    if (!(this.weightDecay >= 0)) throw new Error(`Sgd: weightDecay must be >= 0, got ${this.weightDecay}`);
  }

  step(params: Float32Array, grad: Float32Array, lr: number): void {
    checkStep(params, grad, lr);
    const mu = this.momentum, wd = this.weightDecay, n = params.length;
    if (mu === 0) {
      for (let i = 0; i < n; i++) params[i]! -= lr * (grad[i]! + wd * params[i]!);
    } else {
      const first = this.velocity === undefined;
      const v = (this.velocity ??= new Float32Array(n));
      checkLength('Sgd velocity', v, n);
      for (let i = 0; i < n; i++) {
        const g = grad[i]! + wd * params[i]!;
        const vi = first ? g : mu * v[i]! + g;
        v[i] = vi;
        params[i]! -= lr * (this.nesterov ? g + mu * vi : vi);
      }
    }
    this.steps++;
  }

  private readonly resident = new Set<Float32Array>();

  /** The same update on the device; the velocity lives there from the first device step on. */
  stepOnDevice(device: DeviceArrays, params: Float32Array, grad: Float32Array, lr: number, stats: Float32Array): (applied: boolean) => void {
    checkStep(params, grad, lr);
    // A zeroed velocity makes the first step v = mu * 0 + g = g, exactly torch's.
    const v = (this.velocity = resident(device, this.velocity, params.length, this.resident));
    device.training.sgdStep({ lr, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay }, params, grad, v, stats);
    return (applied) => { if (applied) this.steps++; };
  }

  deviceTensors(): Float32Array[] {
    return [...this.resident];
  }

  state(): OptimizerState {
    return {
      kind: 'sgd',
      hyper: { momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay, steps: this.steps },
      tensors: this.velocity ? { velocity: this.velocity.slice() } : {},
    };
  }

  /** Restores a state written by {@link Sgd.state}. */
  static fromState(s: OptimizerState): Sgd {
    const o = new Sgd({ momentum: num(s, 'momentum'), nesterov: s.hyper['nesterov'] === true, weightDecay: num(s, 'weightDecay') });
    o.steps = num(s, 'steps');
    if (s.tensors['velocity']) o.velocity = s.tensors['velocity'].slice();
    return o;
  }
}

/** Adam options (PyTorch's defaults). */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** Adam, as torch.optim.Adam (bias-corrected moments, eps outside the square root). */
export class Adam implements Optimizer {
  readonly kind = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private m: Float32Array | undefined;
  private v: Float32Array | undefined;
  private steps = 0;

  constructor(options: AdamOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    for (const [k, v] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`Adam: ${k} must be in [0, 1), got ${v}`);
    }
    if (!(this.eps > 0)) throw new Error(`Adam: eps must be > 0, got ${this.eps}`);
  }

  step(params: Float32Array, grad: Float32Array, lr: number): void {
    checkStep(params, grad, lr);
    const n = params.length;
    const m = (this.m ??= new Float32Array(n));
    const v = (this.v ??= new Float32Array(n));
    checkLength('Adam moments', m, n);
    this.steps++;
    const b1 = this.beta1, b2 = this.beta2, wd = this.weightDecay;
    const c1 = 1 - Math.pow(b1, this.steps), c2 = Math.sqrt(1 - Math.pow(b2, this.steps));
    const stepSize = lr / c1;
    for (let i = 0; i < n; i++) {
      const g = grad[i]! + wd * params[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i]! -= (stepSize * mi) / (Math.sqrt(vi) / c2 + this.eps);
    }
  }

  private readonly resident = new Set<Float32Array>();

  /** The same update on the device; the moments live there from the first device step on. */
  stepOnDevice(device: DeviceArrays, params: Float32Array, grad: Float32Array, lr: number, stats: Float32Array): (applied: boolean) => void {
    checkStep(params, grad, lr);
    const n = params.length;
    const m = (this.m = resident(device, this.m, n, this.resident));
    const v = (this.v = resident(device, this.v, n, this.resident));
    const t = this.steps + 1; // the step count once this update is applied
    const o = { stepSize: lr / (1 - Math.pow(this.beta1, t)), c2: Math.sqrt(1 - Math.pow(this.beta2, t)), beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
    device.training.adamStep(o, params, grad, m, v, stats);
    return (applied) => { if (applied) this.steps++; };
  }

  deviceTensors(): Float32Array[] {
    return [...this.resident];
  }

  state(): OptimizerState {
    const tensors: Record<string, Float32Array> = {};
    if (this.m && this.v) {
      tensors['exp_avg'] = this.m.slice();
      tensors['exp_avg_sq'] = this.v.slice();
    }
    return { kind: 'adam', hyper: { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, steps: this.steps }, tensors };
  }

  /** Restores a state written by {@link Adam.state}. */
  static fromState(s: OptimizerState): Adam {
    const o = new Adam({ beta1: num(s, 'beta1'), beta2: num(s, 'beta2'), eps: num(s, 'eps'), weightDecay: num(s, 'weightDecay') });
    o.steps = num(s, 'steps');
    if (s.tensors['exp_avg'] && s.tensors['exp_avg_sq']) {
      o.m = s.tensors['exp_avg'].slice();
      o.v = s.tensors['exp_avg_sq'].slice();
    }
    return o;
  }
}

/** Optimiser settings as stored in a training config. */
export type OptimizerConfig = ({ kind: 'sgd' } & SgdOptions) | ({ kind: 'adam' } & AdamOptions);

/** A fresh optimiser from its config. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  if (config.kind === 'sgd') return new Sgd(config);
  if (config.kind === 'adam') return new Adam(config);
  throw new Error(`unknown optimiser kind ${JSON.stringify((config as { kind: unknown }).kind)} (sgd, adam)`);
}

/** An optimiser continuing from a saved state. */
export function optimizerFromState(state: OptimizerState): Optimizer {
  if (state.kind === 'sgd') return Sgd.fromState(state);
  if (state.kind === 'adam') return Adam.fromState(state);
  throw new Error(`unknown optimiser kind ${JSON.stringify((state as { kind: unknown }).kind)} in saved state`);
}

function num(s: OptimizerState, key: string): number {
  const v = s.hyper[key];
  if (typeof v !== 'number') throw new Error(`optimiser state: "${key}" missing or not a number`);
  return v;
}

function checkStep(params: Float32Array, grad: Float32Array, lr: number): void {
  if (params.length !== grad.length) throw new Error(`optimiser: ${params.length} parameters but ${grad.length} gradients`);
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`optimiser: learning rate must be finite and >= 0, got ${lr}`);
}

function checkLength(what: string, a: Float32Array, n: number): void {
  if (a.length !== n) throw new Error(`${what}: state has ${a.length} values for ${n} parameters`);
}
