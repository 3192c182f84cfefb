import type { Backend } from '../backend/index.js';
import { getBackend } from '../backend/index.js';
import { LstmLayer, type RecurrentLayer, lstmLayerParamSpecs } from './lstm.js';
import { LatencyControlledLstmLayer } from './lstm-latency.js';
import { type LatencyControl, resolveLatencyControl } from './lstm-latency-plan.js';
import { type PackedLayout, packIndex, packedLayout, unpackIndex } from './packing.js';
import { Parameters, type ParamSpec } from './parameters.js';
import { Workspace } from './workspace.js';

/** Shape of a stacked (optionally bidirectional) LSTM, as torch.nn.LSTM's arguments. */
export interface LstmStackConfig {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /**
   * Bidirectional stacks only: each layer's reverse direction runs per chunk with a bounded
   * right context (lstm-latency.ts), so that the stack can stream. Absent: the whole sequence.
   */
  latencyControl?: LatencyControl | undefined;
}

/** Parameters of the stack, named as torch.nn.LSTM's (`<prefix>weight_ih_l0`, ...). */
export function lstmStackParamSpecs(prefix: string, cfg: LstmStackConfig): ParamSpec[] {
  validateStackConfig(cfg);
  const D = cfg.bidirectional ? 2 : 1;
  const specs: ParamSpec[] = [];
  for (let k = 0; k < cfg.numLayers; k++) {
    specs.push(...lstmLayerParamSpecs(prefix, k, k === 0 ? cfg.inputSize : D * cfg.hiddenSize, cfg.hiddenSize, cfg.bidirectional));
  }
  return specs;
}

function validateStackConfig(cfg: LstmStackConfig): void {
  for (const key of ['inputSize', 'hiddenSize', 'numLayers'] as const) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v < 1) throw new Error(`LSTM config: ${key} must be a positive integer, got ${v}`);
  }
  if (cfg.latencyControl !== undefined) {
    try {
      resolveLatencyControl(cfg.latencyControl, cfg.bidirectional);
    } catch (err) {
      throw new Error(`LSTM config: ${(err as Error).message}`);
    }
  }
}

/**
 * N stacked LSTM layers (torch.nn.LSTM semantics with packed sequences): layer k > 0 reads
 * the D*H outputs of layer k-1; with `latencyControl`, every layer is a
 * {@link LatencyControlledLstmLayer} (the same parameters). Works on packed batches
 * ({@link LstmStack.forwardPacked}); {@link LstmStack.forward} / {@link LstmStack.backward}
 * take padded [T, B, F] tensors.
 */
export class LstmStack {
  readonly layers: RecurrentLayer[] = [];
  readonly outputSize: number;
  private readonly scratch: Workspace;
  private readonly saved: Workspace;
  private last: { layout: PackedLayout; x: Float32Array; outs: Float32Array[] } | undefined;

  constructor(readonly backend: Backend, readonly params: Parameters, readonly prefix: string, readonly config: LstmStackConfig) {
    validateStackConfig(config);
    this.scratch = new Workspace(backend);
    this.saved = new Workspace(backend);
    const D = config.bidirectional ? 2 : 1;
    const lc = config.latencyControl;
    for (let k = 0; k < config.numLayers; k++) {
      const inputSize = k === 0 ? config.inputSize : D * config.hiddenSize;
      this.layers.push(lc
        ? new LatencyControlledLstmLayer(backend, params, prefix, k, inputSize, config.hiddenSize, lc, this.scratch)
        : new LstmLayer(backend, params, prefix, k, inputSize, config.hiddenSize, config.bidirectional ? 'both' : 'forward', this.scratch));
    }
    this.outputSize = D * config.hiddenSize;
  }

  /** A stack with its own freshly initialised {@link Parameters} (PyTorch's init, from `uniform`). */
  static create(config: LstmStackConfig, uniform: () => number, backend: Backend = getBackend(), prefix = ''): LstmStack {
    const params = new Parameters(lstmStackParamSpecs(prefix, config), backend);
    params.initialize(uniform);
    return new LstmStack(backend, params, prefix, config);
  }

  /**
   * x [N, inputSize] (packed rows) -> [N, D*H]. The returned buffer belongs to the stack:
   * it is valid until the next call. With `train`, keeps what {@link LstmStack.backwardPacked}
   * needs (x itself is kept by reference: leave it unchanged until then).
   */
  forwardPacked(layout: PackedLayout, x: Float32Array, train: boolean): Float32Array {
    const N = layout.total;
    let input = x;
    const outs: Float32Array[] = [];
    for (let k = 0; k < this.layers.length; k++) {
      const layer = this.layers[k]!;
      const out = train ? this.saved.get(`out${k}`, N * layer.outputSize) : this.scratch.get(`infer${k & 1}`, N * layer.outputSize);
      layer.forward(layout, input, out, train);
      outs.push(out);
      input = out;
    }
    if (train) this.last = { layout, x, outs }; // inference leaves the training state alone
    return input;
  }

  /**
   * Backward of the last training forward. dOut [N, D*H] is consumed. Accumulates into
   * the parameter gradients and returns d loss / d x [N, inputSize] (a stack-owned buffer),
   * or null when `inputGrad` is false (saves the first layer's input-gradient GEMM).
   */
  backwardPacked(dOut: Float32Array, inputGrad = true): Float32Array | null {
    const last = this.last;
    if (!last) throw new Error('LstmStack.backward: no training forward pass to go back through');
    const N = last.layout.total;
    let dCur = dOut;
    for (let k = this.layers.length - 1; k >= 0; k--) {
      const layer = this.layers[k]!;
      const dIn = k > 0 || inputGrad ? this.scratch.get(`dx${k & 1}`, N * layer.inputSize) : null;
      layer.backward(last.layout, k === 0 ? last.x : last.outs[k - 1]!, last.outs[k]!, dCur, dIn);
      if (!dIn) return null;
      dCur = dIn;
    }
    return dCur;
  }

  /**
   * Frees every buffer the stack and its layers hold (not the parameters, which may be
   * shared with other layers). The stack reallocates if used again.
   */
  releaseBuffers(): void {
    for (const layer of this.layers) layer.releaseSaved();
    this.scratch.release();
    this.saved.release();
    this.last = undefined;
  }

  /**
   * Padded interface: x [T, B, inputSize] with lengths[b] real frames -> y [T, B, D*H]
   * (a new array of the backend's, zero at padded frames).
   */
  forward(x: Float32Array, T: number, lengths: ArrayLike<number>, train = true): Float32Array {
    const layout = packedLayout(T, lengths);
    const F = this.config.inputSize;
    if (x.length !== T * layout.B * F) {
      throw new Error(`LstmStack.forward: x has ${x.length} values, expected T*B*F = ${T}*${layout.B}*${F}`);
    }
    const xp = train ? this.saved.get('xpacked', layout.total * F) : this.scratch.get('xpacked', layout.total * F);
    const be = this.backend;
    be.gatherRows(F, x, packIndex(layout), xp);
    const yp = this.forwardPacked(layout, xp, train);
    const y = be.array(T * layout.B * this.outputSize);
    be.gatherRows(this.outputSize, yp, unpackIndex(layout), y);
    return y;
  }

  /** Padded interface: dY [T, B, D*H] -> dX [T, B, inputSize] (a new array of the backend's). dY is left unchanged. */
  backward(dY: Float32Array): Float32Array {
    const last = this.last;
    if (!last) throw new Error('LstmStack.backward: no training forward pass to go back through');
    const { layout } = last;
    if (dY.length !== layout.T * layout.B * this.outputSize) {
      throw new Error(`LstmStack.backward: dY has ${dY.length} values, expected ${layout.T * layout.B * this.outputSize}`);
    }
    const dOut = this.scratch.get('dypacked', layout.total * this.outputSize);
    const be = this.backend;
    be.gatherRows(this.outputSize, dY, packIndex(layout), dOut);
    const dxp = this.backwardPacked(dOut, true)!;
    const dX = be.array(layout.T * layout.B * this.config.inputSize);
    be.gatherRows(this.config.inputSize, dxp, unpackIndex(layout), dX);
    return dX;
  }
}
