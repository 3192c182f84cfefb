import type { ArrayOps } from './array-ops.js';
import type { DeviceTransducer } from './device-transducer.js';
import type { DeviceTraining } from './device-training.js';
import type { ImageOps } from './image-ops.js';

/**
 * The few numeric kernels that every layer uses. Matrices are row-major Float32Arrays
 * (subarray views are fine); `ld*` arguments are row strides in elements.
 *
 * Every backend implements this interface and passes the same tests (test/backend/).
 * On a device backend (webgpu) the arrays are handles: see {@link ArrayOps}; the
 * convolution layers' loops are {@link ImageOps}.
 */
export interface Backend extends ArrayOps, ImageOps {
  /** Short name: 'js', 'wasm', 'native', 'webgpu'. */
  readonly name: string;
  /** Threads the kernels may use. */
  readonly threads: number;

  /** A device backend's training kernels (webgpu); absent on the CPU backends. */
  readonly training?: DeviceTraining;

  /** A device backend's RNN-T joint steps and loss (webgpu); absent on the CPU backends. */
  readonly transducer?: DeviceTransducer;

  /**
   * A zeroed buffer that this backend's kernels use without copying (for WASM, a view
   * into its linear memory). Kernels accept any Float32Array; these are just faster.
   */
  alloc(length: number): Float32Array;

  /**
   * Gives a buffer from alloc() back for reuse (WASM memory is not garbage collected);
   * arrays that did not come from alloc() are ignored. The buffer must not be used after.
   */
  free(buf: Float32Array): void;

  /**
   * C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, where op(X) is X or X^T.
   * A is stored [m,k] (or [k,m] when transA), B is [k,n] (or [n,k] when transB).
   * beta = 0 overwrites C (NaNs already in C do not propagate).
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void;

  /**
   * LSTM cell, forward, for `rows` independent rows (PyTorch gate order i, f, g, o).
   * gates [rows, 4H]: in, the pre-activations; out, the activations (sigmoid i, f, o;
   * tanh g), kept for the backward pass.
   * cPrev [rows, H], c [rows, H] out: c = f*cPrev + i*g.
   * h [rows, ldh] out (first H columns of each row): h = o * tanh(c).
   */
  lstmCellForward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, h: Float32Array, ldh: number,
  ): void;

  /**
   * LSTM cell, backward, for `rows` rows.
   * gates [rows, 4H]: the activations written by lstmCellForward; cPrev, c as there.
   * dh [rows, lddh]: d loss / d h_t (output and recurrent contributions summed).
   * dc [rows, H]: in, d loss / d c_t from step t+1; out, d loss / d c_{t-1}.
   * dGates [rows, 4H] out: d loss / d pre-activations.
   */
  lstmCellBackward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array,
  ): void;
}
