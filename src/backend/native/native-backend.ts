import { HostBackend } from '../host-backend.js';
import type { Backend } from '../backend.js';
import type { ImageOps } from '../image-ops.js';
import { checkGemm, checkLstm } from '../validate.js';
import { resolveThreads } from '../threads.js';
import { type Addon, loadAddon, nativeUnavailableReason } from './addon.js';
import { NativeImageOps } from './native-image-ops.js';

export { nativeAvailable, nativeUnavailableReason } from './addon.js';

/** The addon's thread count is per OS thread, as this module's state is per JavaScript thread: the last value set, to skip needless calls. */
let addonThreads = 0;

/** Options of the native backend. */
export interface NativeBackendOptions {
  /** Threads; default SAYRE_THREADS, else the CPU count. */
  threads?: number;
}

/**
 * OpenBLAS sgemm through an N-API addon (with sgemv for single rows and an AVX-512 kernel
 * for the few-row recurrent products), fused LSTM cells and the convolution layers' loops
 * (ImageOps) in C++. Threads: the addon's own pool splits each product into blocks that
 * single-threaded OpenBLAS calls compute, and the loops by channels, planes or rows.
 * Node only; build it with `npm run build:native`.
 */
export class NativeBackend extends HostBackend implements Backend {
  readonly name = 'native';
  readonly threads: number;
  private readonly addon: Addon;
  private readonly image: NativeImageOps;

  constructor(options: NativeBackendOptions = {}) {
    super();
    const a = loadAddon();
    if (!a) throw new Error(`native backend unavailable: ${nativeUnavailableReason()}`);
    this.addon = a;
    this.image = new NativeImageOps(a);
    this.threads = resolveThreads(options.threads);
  }

  /** Sets the addon's pool to this backend's threads before a kernel that uses it. */
  private useThreads(): void {
    if (addonThreads !== this.threads) {
      this.addon.setThreads(this.threads);
      addonThreads = this.threads;
    }
  }

  protected override imageKernels(): ImageOps {
    this.useThreads();
    return this.image;
  }

  /** OpenBLAS's build configuration. */
  get blasInfo(): string {
    return this.addon.info();
  }

  /**
   * Whether products with few rows (the recurrent steps) use the addon's AVX-512 kernel,
   * whose results do not depend on the thread count; otherwise OpenBLAS computes them.
   */
  get fewRowKernel(): boolean {
    return this.addon.fewRowKernel();
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void {
    checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    this.useThreads();
    this.addon.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }

  lstmCellForward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, h: Float32Array, ldh: number,
  ): void {
    checkLstm('lstmCellForward', rows, hidden, { gates }, { cPrev, c }, ['h', h, ldh]);
    this.addon.lstmForward(rows, hidden, gates, cPrev, c, h, ldh);
  }

  lstmCellBackward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array,
  ): void {
    checkLstm('lstmCellBackward', rows, hidden, { gates, dGates }, { cPrev, c, dc }, ['dh', dh, lddh]);
    this.addon.lstmBackward(rows, hidden, gates, cPrev, c, dh, lddh, dc, dGates);
  }
}
