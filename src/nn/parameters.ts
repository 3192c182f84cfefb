import type { Backend } from '../backend/index.js';
import { checkLimit } from '../util/limits.js';

/** A named parameter tensor before allocation. */
export interface ParamSpec {
  /** PyTorch-style name, e.g. `lstm.weight_ih_l0_reverse`. */
  readonly name: string;
  readonly shape: readonly number[];
  /** How to initialise it: uniform in [-bound, bound] (PyTorch's default for LSTM and Linear). */
  readonly initBound: number;
}

/** Where a parameter lies in the flat vector. */
export interface ParamEntry extends ParamSpec {
  readonly offset: number;
  readonly size: number;
}

/**
 * All parameters of a model in one allocation (and their gradients in another), with a
 * named view per tensor. Optimisers, weight noise, clipping and checkpoints work on the
 * flat `data` / `grad` vectors; layers work on the views.
 */
export class Parameters {
  /** Every parameter, concatenated in `entries` order. */
  readonly data: Float32Array;
  /** d loss / d data; layers accumulate into it (see {@link Parameters.zeroGrad}). */
  readonly grad: Float32Array;
  readonly entries: readonly ParamEntry[];
  private readonly byName = new Map<string, ParamEntry>();

  constructor(specs: readonly ParamSpec[], readonly backend?: Backend) {
    let offset = 0;
    const entries: ParamEntry[] = [];
    for (const spec of specs) {
      if (this.byName.has(spec.name)) throw new Error(`Parameters: duplicate parameter name ${spec.name}`);
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (!Number.isInteger(size) || size < 0) throw new Error(`Parameters: bad shape [${spec.shape.join(', ')}] for ${spec.name}`);
      const entry: ParamEntry = { ...spec, shape: [...spec.shape], offset, size };
      entries.push(entry);
      this.byName.set(spec.name, entry);
      offset += size;
    }
    this.entries = entries;
    // A config claiming hiddenSize 1e9 is refused here, before any allocation.
    checkLimit('model', 'maxParameters', offset, 'parameters');
    const alloc = (n: number): Float32Array => (backend ? backend.alloc(n) : new Float32Array(n));
    this.data = alloc(offset);
    this.grad = alloc(offset);
  }

  /** Number of scalar parameters. */
  get size(): number {
    return this.data.length;
  }

  /** The entry named `name`; throws naming the known parameters if there is none. */
  entry(name: string): ParamEntry {
    const e = this.byName.get(name);
    if (!e) throw new Error(`Parameters: no parameter named ${name} (have ${[...this.byName.keys()].join(', ')})`);
    return e;
  }

  /** True when a parameter called `name` exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** View of the parameter's values (shares memory with `data`). */
  value(name: string): Float32Array {
    const e = this.entry(name);
    return this.data.subarray(e.offset, e.offset + e.size);
  }

  /** View of the parameter's gradient (shares memory with `grad`). */
  gradient(name: string): Float32Array {
    const e = this.entry(name);
    return this.grad.subarray(e.offset, e.offset + e.size);
  }

  /** Sets every gradient to zero (layers accumulate, so call this before each backward pass). */
  zeroGrad(): void {
    if (this.backend) this.backend.fill(this.grad, 0);
    else this.grad.fill(0);
  }

  /**
   * After host code wrote into `data` (initialisation, a checkpoint), makes a device
   * backend's copy match; a no-op on the CPU backends.
   */
  upload(): void {
    this.backend?.upload(this.data);
  }

  /**
   * Gives the two buffers back to the backend (WASM memory is not garbage collected).
   * Nothing may use these parameters, or views of them, afterwards.
   */
  dispose(): void {
    this.backend?.free(this.data);
    this.backend?.free(this.grad);
  }

  /** Initialises every parameter uniformly in [-initBound, initBound] from `uniform` (values in [0, 1)). */
  initialize(uniform: () => number): void {
    for (const e of this.entries) {
      const v = this.data.subarray(e.offset, e.offset + e.size);
      for (let i = 0; i < v.length; i++) v[i] = (2 * uniform() - 1) * e.initBound;
    }
    this.upload();
  }
}
