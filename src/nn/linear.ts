import type { Backend } from '../backend/index.js';
import type { ParamSpec, Parameters } from './parameters.js';
import { addColumnSums, fillRows } from './workspace.js';

/**
 * y = x W^T + b.
 * x [rows, inF], W [outF, inF], b [outF], y [rows, outF].
 */
export function linearForward(
  backend: Backend, rows: number, inF: number, outF: number,
  x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array,
): void {
  if (b) fillRows(backend, y, rows, b);
  backend.gemm(false, true, rows, outF, inF, 1, x, inF, w, inF, b ? 1 : 0, y, outF);
}

/**
 * Backward of {@link linearForward}; parameter gradients are accumulated (+=).
 * dy [rows, outF]; dW [outF, inF] += dy^T x; db [outF] += column sums of dy;
 * dx [rows, inF] = dy W (overwritten), skipped when dx is null.
 */
export function linearBackward(
  backend: Backend, rows: number, inF: number, outF: number,
  x: Float32Array, w: Float32Array, dy: Float32Array,
  dw: Float32Array, db: Float32Array | null, dx: Float32Array | null,
): void {
  if (rows === 0) return;
  backend.gemm(true, false, outF, inF, rows, 1, dy, outF, x, inF, 1, dw, inF);
  if (db) addColumnSums(backend, rows, outF, dy, outF, db);
  if (dx) backend.gemm(false, false, rows, inF, outF, 1, dy, outF, w, inF, 0, dx, inF);
}

/** A Linear layer's parameters (PyTorch names `<prefix>weight`, `<prefix>bias`, PyTorch's init bound). */
export function linearParamSpecs(prefix: string, inF: number, outF: number, bias = true): ParamSpec[] {
  const bound = 1 / Math.sqrt(inF);
  const specs: ParamSpec[] = [{ name: `${prefix}weight`, shape: [outF, inF], initBound: bound }];
  if (bias) specs.push({ name: `${prefix}bias`, shape: [outF], initBound: bound });
  return specs;
}

/** A Linear layer bound to its views in a {@link Parameters} set. */
export class Linear {
  readonly weight: Float32Array;
  readonly bias: Float32Array | null;
  readonly dWeight: Float32Array;
  readonly dBias: Float32Array | null;

  constructor(
    readonly backend: Backend, params: Parameters, prefix: string,
    readonly inFeatures: number, readonly outFeatures: number,
  ) {
    this.weight = params.value(`${prefix}weight`);
    this.dWeight = params.gradient(`${prefix}weight`);
    const hasBias = params.has(`${prefix}bias`);
    this.bias = hasBias ? params.value(`${prefix}bias`) : null;
    this.dBias = hasBias ? params.gradient(`${prefix}bias`) : null;
  }

  /** x [rows, in] -> y [rows, out]. */
  forward(rows: number, x: Float32Array, y: Float32Array): void {
    linearForward(this.backend, rows, this.inFeatures, this.outFeatures, x, this.weight, this.bias, y);
  }

  /** Accumulates dW, db; writes dx [rows, in] unless null. */
  backward(rows: number, x: Float32Array, dy: Float32Array, dx: Float32Array | null): void {
    linearBackward(this.backend, rows, this.inFeatures, this.outFeatures, x, this.weight, dy, this.dWeight, this.dBias, dx);
  }
}
