/**
 * What layers do to backend arrays besides products and LSTM cells, and how data crosses
 * between the host and a device. On the CPU backends an array is its data and these are
 * plain loops; on a device backend (webgpu) an array is a handle: a Float32Array whose own
 * memory is only a staging copy of the device's, so host code never reads or writes its
 * elements between `upload` and `read` (docs/webgpu.md).
 */
export interface ArrayOps {
  /**
   * True when arrays live on a device (webgpu): element access on the host sees the
   * staging copy, not the data. False on js, wasm and native.
   */
  readonly onDevice: boolean;

  /** Times `read` copied data back from a device (always 0 on the CPU backends). */
  readonly readBacks: number;

  /**
   * Makes the device copy of `a` (a view of an array from alloc/array) equal to what the
   * host wrote into it. A no-op on the CPU backends.
   */
  upload(a: Float32Array): void;

  /**
   * Waits for the queued kernels and copies `a` from the device into its host memory,
   * resolving to `a`: the one synchronisation point. On the CPU backends it resolves at once.
   */
  read(a: Float32Array): Promise<Float32Array>;

  /**
   * A zeroed array that the caller owns and the garbage collector frees (outputs handed to
   * callers); `alloc` arrays are faster for scratch and must be given back with `free`.
   */
  array(length: number): Float32Array;

  /** a[:] = value. */
  fill(a: Float32Array, value: number): void;

  /** dst[0 : src.length] = src (different arrays or non-overlapping views). */
  copy(src: Float32Array, dst: Float32Array): void;

  /**
   * Copies a [rows, cols] block: dst[r * ldd + j] = src[r * lds + j]. lds = 0 repeats
   * src's first row in every row (a bias broadcast).
   */
  copyRows(rows: number, cols: number, src: Float32Array, lds: number, dst: Float32Array, ldd: number): void;

  /** y += alpha * x over x.length elements. */
  axpy(alpha: number, x: Float32Array, y: Float32Array): void;

  /**
   * Row gather: dst row i (cols wide) = src row index[i], or zeros where index[i] < 0, for
   * i < index.length. Packing and unpacking of variable-length batches.
   */
  gatherRows(cols: number, src: Float32Array, index: Int32Array, dst: Float32Array): void;

  /** out[j] += sum over rows of a[r * lda + j], for j < cols. */
  addColumnSums(rows: number, cols: number, a: Float32Array, lda: number, out: Float32Array): void;
}
