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
      return buf.length === length ? buf : buf.subarray(0, length); // alloc zeroes it
    }
    const view = buf.length === length ? buf : buf.subarray(0, length);
    if (zero) this.backend.fill(view, 0);
    return view;
  }
}

/** Fills rows [0, rows) of a [rows, row.length] matrix with `row` (bias broadcast), on the backend. */
export function fillRows(backend: Backend, out: Float32Array, rows: number, row: Float32Array): void {
  backend.copyRows(rows, row.length, row, 0, out, row.length);
}

/** out[j] += sum over rows of a[r, j], for a [rows, cols] with row stride lda, on the backend. */
export function addColumnSums(
  backend: Backend, rows: number, cols: number, a: Float32Array, lda: number, out: Float32Array,
): void {
  backend.addColumnSums(rows, cols, a, lda, out);
}
