/**
 * Row kernels for fused log-softmax losses, over float32 rows held in one linear memory:
 * a WebAssembly SIMD module where WebAssembly is available (Math.exp costs about 15 ns a
 * logit here, the module's four-lane exponential about 1), otherwise the same operations
 * in plain TypeScript. Each row's normaliser is a float64 sum; in the WebAssembly kernels
 * its terms are single-precision exponentials (assembly/softmax-rows.ts says how close), so
 * a log-sum-exp is good to about 1e-7; the gathered classes' log-probabilities and
 * probabilities are float64.
 * The WebAssembly module also holds the rescaled CTC forward-backward (ctcRescaled); without
 * it, CTC runs its log-space path (src/losses/ctc-lattice.ts), exact but slower.
 * One instance per thread; the caller lays out the memory from byte `base` on (byte offsets)
 * and calls `reserve` before use. Sums and exponentials are float64.
 */
import { bytesOf } from '../parallel/shared-memory.js';
import { wasmBase64 } from './softmax-rows.wasm.js';
import { base64Bytes } from '../util/base64.js';

export interface SoftmaxRows {
  /** 'wasm' or 'js'. */
  readonly kind: string;
  /** First byte (16-aligned) the caller may use; the memory below belongs to the kernels. */
  readonly base: number;
  /** Views over the memory; replaced when `reserve` grows it (re-read them after). */
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  /** Makes `bytes` bytes from `base` on usable. */
  reserve(bytes: number): void;
  /**
   * For the float32 row at byte offset x (length n): overwrites it with exp(x[j] - max)
   * and returns 1 / sum_j exp(x[j] - max) (so softmax = row * result), or NaN (row
   * untouched) if the row holds NaN or an infinity. First, for the k < count classes
   * cls[k] (int32 at byte offset cls), writes lp[k] = log-probability and y[k] =
   * probability (float64 at byte offsets lp, y).
   */
  rowSoftmaxGather(x: number, n: number, cls: number, count: number, y: number, lp: number): number;
  /** out[j] = scale * x[j], float32 rows at byte offsets x and out (may be equal). */
  rowScale(x: number, n: number, scale: number, out: number): void;
  /**
   * The rescaled CTC forward-backward of assembly/ctc-rescaled.ts (byte offsets as
   * documented there); only in the WebAssembly kernels. NaN where it cannot be trusted.
   */
  ctcRescaled?: CtcRescaled;
}

/** See assembly/ctc-rescaled.ts. */
export type CtcRescaled = (T: number, S: number, K: number, kOf: number, skip: number, y: number,
  A: number, cumA: number, g: number, occ: number) => number;

interface WasmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  rowSoftmaxGather(x: number, n: number, cls: number, count: number, y: number, lp: number): number;
  rowScale(x: number, n: number, scale: number, out: number): void;
  ctcRescaled: CtcRescaled;
}

let wasmModule: WebAssembly.Module | null | undefined;

function compiledModule(): WebAssembly.Module | null {
  if (wasmModule === undefined) {
    try {
      wasmModule = new WebAssembly.Module(base64Bytes(wasmBase64));
    } catch {
      wasmModule = null; // no WebAssembly, no SIMD, or sync compile refused (browser main thread)
    }
  }
  return wasmModule;
}

abstract class RowsBase {
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  protected setViews(buf: ArrayBuffer): void {
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
  }
}

class WasmRows extends RowsBase implements SoftmaxRows {
  readonly kind = 'wasm';
  readonly base: number;
  readonly rowSoftmaxGather: WasmExports['rowSoftmaxGather'];
  readonly rowScale: WasmExports['rowScale'];
  readonly ctcRescaled: CtcRescaled;
  private readonly memory: WebAssembly.Memory;
  constructor(exports: WasmExports) {
    super();
    this.memory = exports.memory;
    this.base = exports.heapBase();
    this.rowSoftmaxGather = exports.rowSoftmaxGather;
    this.rowScale = exports.rowScale;
    this.ctcRescaled = exports.ctcRescaled;
    this.setViews(this.memory.buffer);
  }
  reserve(bytes: number): void {
    bytes += this.base;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
    if (this.f32.buffer !== this.memory.buffer) this.setViews(this.memory.buffer);
  }
}

/** The same kernels in TypeScript (Math.exp), for runtimes without WebAssembly SIMD. */
class JsRows extends RowsBase implements SoftmaxRows {
  readonly kind = 'js';
  readonly base = 0;
  constructor() {
    super();
    this.setViews(new ArrayBuffer(65536));
  }
  reserve(bytes: number): void {
    if (bytes <= this.f32.buffer.byteLength) return;
    const buf = new ArrayBuffer(Math.ceil(bytes / 65536) * 65536);
    new Uint8Array(buf).set(new Uint8Array(this.f32.buffer));
    this.setViews(buf);
  }
  rowSoftmaxGather(x: number, n: number, cls: number, count: number, y: number, lp: number): number {
    const f = this.f32;
    const o = x >> 2;
    let max = -Infinity;
    let min = Infinity;
    for (let j = 0; j < n; j++) {
      const v = f[o + j]!;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    if (!Number.isFinite(max) || !Number.isFinite(min)) return NaN;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(f[o + j]! - max);
    if (Number.isNaN(sum)) return NaN; // a NaN escapes the comparisons above but not the sum
    const lse = max + Math.log(sum);
    const co = cls >> 2;
    for (let k = 0; k < count; k++) {
      const l = f[o + this.i32[co + k]!]! - lse;
      this.f64[(lp >> 3) + k] = l;
      this.f64[(y >> 3) + k] = Math.exp(l);
    }
    for (let j = 0; j < n; j++) f[o + j] = Math.exp(f[o + j]! - max);
    return 1 / sum;
  }
  rowScale(x: number, n: number, scale: number, out: number): void {
    const f = this.f32;
    const xo = x >> 2;
    const oo = out >> 2;
    for (let j = 0; j < n; j++) f[oo + j] = scale * f[xo + j]!;
  }
}

/** New row kernels for this thread: WebAssembly SIMD when possible, else TypeScript (or when `forceJs`). */
export function createSoftmaxRows(forceJs = false): SoftmaxRows {
  const mod = forceJs ? null : compiledModule();
  if (mod) {
    try {
      return new WasmRows(new WebAssembly.Instance(mod, {}).exports as unknown as WasmExports);
    } catch {
      // fall through to the TypeScript kernels
    }
  }
  return new JsRows();
}

/** Copies n float32 from src at srcOff to dst at dstOff: long rows as bytes (see shared-memory.ts), short ones in a loop. */
export function copyRow(src: Float32Array, srcOff: number, n: number, dst: Float32Array, dstOff: number): void {
  if (n >= 64) bytesOf(dst).set(bytesOf(src).subarray(srcOff * 4, (srcOff + n) * 4), dstOff * 4);
  else for (let j = 0; j < n; j++) dst[dstOff + j] = src[srcOff + j]!;
}

