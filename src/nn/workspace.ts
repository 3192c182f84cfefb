import type { Backend } from '../backend/index.js';

/**
 * Named scratch buffers that grow but are never reallocated for a size already seen, so
 * that repeated forward/backward calls allocate nothing. Buffers come from the backend's
 * `alloc` (for WASM, its linear memory); the growth margin keeps reallocations rare.
 */
export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();

  constructor(private readonly backend: Backend) {}

  /** Gives every buffer back to the backend; the workspace stays usable (it reallocates). */
  release(): void {
    for (const buf of this.buffers.values()) this.backend.free(buf);
    this.buffers.clear();
  }

  /**
   * A buffer of at least `length` elements for `key` (contents unspecified unless `zero`),
   * returned as a view of exactly `length` elements. Growing a buffer frees the old one:
   * views returned earlier for the same key must not be used after a larger request.
   */
  get(key: string, length: number, zero = false): Float32Array {
    let buf = this.buffers.get(key);
    if (!buf || buf.length < length) {
      if (buf) this.backend.free(buf);
      buf = this.backend.alloc(Math.ceil(length * 1.25) + 16);
      this.buffers.set(key, buf);
    } else if (zero) {
      buf.fill(0, 0, length);
    }
    return buf.length === length ? buf : buf.subarray(0, length);
  }
}

/** Fills rows [0, rows) of a [rows, row.length] matrix with `row` (bias broadcast). */
export function fillRows(out: Float32Array, rows: number, row: Float32Array): void {
  const n = row.length;
  if (rows === 0) return;
  out.set(row, 0);
  let filled = 1;
  while (filled < rows) {
    const copy = Math.min(filled, rows - filled);
    out.copyWithin(filled * n, 0, copy * n);
    filled += copy;
  }
}

let ones = new Float32Array(0);

/** out[j] += sum over rows of a[r, j], for a [rows, cols] with row stride lda (as one GEMM). */
export function addColumnSums(
  backend: Backend, rows: number, cols: number, a: Float32Array, lda: number, out: Float32Array,
): void {
  if (rows === 0) return;
  if (ones.length < rows) ones = new Float32Array(Math.ceil(rows * 1.25)).fill(1);
  // [1, rows] x [rows, cols] -> [1, cols]
  backend.gemm(false, false, 1, cols, rows, 1, ones, rows, a, lda, 1, out, cols);
}
