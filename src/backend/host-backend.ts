import type { ArrayOps } from './array-ops.js';
import { type ImageOps, type PatchGeometry, type PoolGeometry, checkFlatArrays, checkPatchArrays, checkPoolArrays } from './image-ops.js';
import { hostImageOps } from './host-image-ops.js';

/**
 * The array operations of the CPU backends (js, wasm, native): their arrays are host
 * memory, so these are plain loops, uploads are no-ops and reads resolve at once.
 * Subclasses provide the kernels (gemm, LSTM cells); allocation is from the JS heap unless
 * a subclass keeps its own memory (wasm).
 */
export abstract class HostBackend implements ArrayOps, ImageOps {
  readonly onDevice = false;
  readonly readBacks = 0;
  private ones = new Float32Array(0);

  abstract gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void;

  alloc(length: number): Float32Array {
    return new Float32Array(length);
  }

  free(_buf: Float32Array): void {
    // Garbage collected: nothing to do.
  }

  upload(_a: Float32Array): void {
    // Host memory is the data.
  }

  read(a: Float32Array): Promise<Float32Array> {
    return Promise.resolve(a);
  }

  array(length: number): Float32Array {
    return new Float32Array(length);
  }

  fill(a: Float32Array, value: number): void {
    a.fill(value);
  }

  copy(src: Float32Array, dst: Float32Array): void {
    dst.set(src);
  }

  copyRows(rows: number, cols: number, src: Float32Array, lds: number, dst: Float32Array, ldd: number): void {
    if (rows === 0 || cols === 0) return;
    if (lds === cols && ldd === cols) {
      dst.set(src.subarray(0, rows * cols));
      return;
    }
    if (lds === 0 && ldd === cols) {
      // Broadcast by doubling: each copyWithin copies everything filled so far.
      dst.set(src.subarray(0, cols), 0);
      let filled = 1;
      while (filled < rows) {
        const n = Math.min(filled, rows - filled);
        dst.copyWithin(filled * cols, 0, n * cols);
        filled += n;
      }
      return;
    }
    for (let r = 0; r < rows; r++) dst.set(src.subarray(r * lds, r * lds + cols), r * ldd);
  }

  axpy(alpha: number, x: Float32Array, y: Float32Array): void {
    const n = x.length;
    if (alpha === 1) for (let i = 0; i < n; i++) y[i]! += x[i]!;
    else for (let i = 0; i < n; i++) y[i]! += alpha * x[i]!;
  }

  gatherRows(cols: number, src: Float32Array, index: Int32Array, dst: Float32Array): void {
    for (let i = 0; i < index.length; i++) {
      const s = index[i]!;
      if (s >= 0) dst.set(src.subarray(s * cols, (s + 1) * cols), i * cols);
      else dst.fill(0, i * cols, (i + 1) * cols);
    }
  }

  addColumnSums(rows: number, cols: number, a: Float32Array, lda: number, out: Float32Array): void {
    if (rows === 0) return;
    if (this.ones.length < rows) this.ones = new Float32Array(Math.ceil(rows * 1.25)).fill(1);
    // [1, rows] x [rows, cols] -> [1, cols]
    this.gemm(false, false, 1, cols, rows, 1, this.ones, rows, a, lda, 1, out, cols);
  }

  /**
   * The loops behind the {@link ImageOps} methods, which call them once their arguments
   * are checked: the TypeScript loops here; a subclass may bring kernels of its own.
   */
  protected imageKernels(): ImageOps {
    return hostImageOps;
  }

  im2col(g: PatchGeometry, img: Float32Array, cols: Float32Array): void {
    checkPatchArrays('im2col', g, img, cols);
    this.imageKernels().im2col(g, img, cols);
  }

  col2im(g: PatchGeometry, cols: Float32Array, img: Float32Array): void {
    checkPatchArrays('col2im', g, img, cols);
    this.imageKernels().col2im(g, cols, img);
  }

  maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array): void {
    checkPoolArrays('maxPoolForward', g, x, y);
    this.imageKernels().maxPoolForward(g, x, y);
  }

  maxPoolBackward(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    checkPoolArrays('maxPoolBackward', g, x, dy);
    checkPoolArrays('maxPoolBackward', g, dx, dy);
    this.imageKernels().maxPoolBackward(g, x, dy, dx);
  }

  reluForward(n: number, x: Float32Array, y: Float32Array): void {
    checkFlatArrays('reluForward', n, { x, y });
    this.imageKernels().reluForward(n, x, y);
  }

  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    checkFlatArrays('reluBackward', n, { y, dy, dx });
    this.imageKernels().reluBackward(n, y, dy, dx);
  }

  addRowSums(rows: number, cols: number, a: Float32Array, out: Float32Array): void {
    checkFlatArrays('addRowSums', rows * cols, { a });
    checkFlatArrays('addRowSums', rows, { out });
    this.imageKernels().addRowSums(rows, cols, a, out);
  }

  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void {
    checkFlatArrays('transposeBatch', batch * rows * cols, { src, dst });
    this.imageKernels().transposeBatch(batch, rows, cols, src, dst);
  }
}
