import { HostBackend } from '../host-backend.js';
import type { Backend } from '../backend.js';
import { checkGemm, checkLstm } from '../validate.js';
import { envVar } from '../wasm/platform.js';
import { resolveThreads } from '../threads.js';

/** The addon's functions (native/src/addon.cc). */
interface Addon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  lstmForward(rows: number, H: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array, h: Float32Array, ldh: number): void;
  lstmBackward(rows: number, H: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array,
    dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array): void;
  setThreads(n: number): void;
  info(): string;
  fewRowKernel(): boolean;
}

let addon: Addon | undefined;
let loadError: string | undefined;
/** The addon's thread count is process-wide: the last value set, to skip needless calls. */
let blasThreads = 0;

/** Where `npm run build:native` puts the addon (SAYRE_NATIVE_ADDON overrides). */
function addonPath(): string {
  return envVar('SAYRE_NATIVE_ADDON') ?? new URL('../../../../native/build/Release/sayre_native.node', import.meta.url).pathname;
}

/** Loads the addon once; undefined (with nativeUnavailableReason()) where it is not built or not Node. */
function loadAddon(): Addon | undefined {
  if (addon || loadError !== undefined) return addon;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!mod) {
    loadError = 'the native backend needs Node';
    return undefined;
  }
  const path = addonPath();
  try {
    addon = mod.createRequire(import.meta.url)(path) as Addon;
  } catch (e) {
    loadError = `cannot load ${path} (build it with \`npm run build:native\`): ${(e as Error).message.split('\n')[0]}`;
  }
  return addon;
}

/** Whether the native addon is built and loads here. */
export function nativeAvailable(): boolean {
  return loadAddon() !== undefined;
}

/** Why the native backend is unavailable (undefined when it is available). */
export function nativeUnavailableReason(): string | undefined {
  loadAddon();
  return addon ? undefined : loadError;
}

/** Options of the native backend. */
export interface NativeBackendOptions {
  /** Threads; default SAYRE_THREADS, else the CPU count. */
  threads?: number;
}

/**
 * OpenBLAS sgemm through an N-API addon (with sgemv for single rows and an AVX-512 kernel
 * for the few-row recurrent products), and fused LSTM cells in C++. Threads: the addon's
 * own pool splits each product into blocks that single-threaded OpenBLAS calls compute.
 * Node only; build it with `npm run build:native`.
 */
export class NativeBackend extends HostBackend implements Backend {
  readonly name = 'native';
  readonly threads: number;
  private readonly addon: Addon;

  constructor(options: NativeBackendOptions = {}) {
    super();
    const a = loadAddon();
    if (!a) throw new Error(`native backend unavailable: ${loadError}`);
    this.addon = a;
    this.threads = resolveThreads(options.threads);
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
    if (blasThreads !== this.threads) {
      this.addon.setThreads(this.threads);
      blasThreads = this.threads;
    }
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
