import { HostBackend } from '../host-backend.js';
import type { Backend } from '../backend.js';
import { checkGemm, checkLstm, extent } from '../validate.js';
import { WasmHeap } from './heap.js';
import {
  compileKernels, compileKernelsSync, instantiateKernels, relaxedSimdSupported, simdSupported,
  type KernelExports, type SimdFlavour,
} from './kernels.js';
import { resolveThreads } from '../threads.js';
import { canRunThreads } from './platform.js';
import { Staging } from './staging.js';
import { Op, runChunk } from './tasks.js';
import { ThreadPool } from './thread-pool.js';

/** Options of the WASM backend. */
export interface WasmBackendOptions {
  /** Threads (main thread included); default SAYRE_THREADS, else the CPU count. Reduced to 1 where threads cannot run. */
  threads?: number;
  /** 'relaxed' (FMA), 'simd' (plain), or 'auto' (relaxed where the runtime validates it). Default 'auto'. */
  simd?: SimdFlavour | 'auto';
  /**
   * Use a shared memory (needed for threads; lets alloc() return views that survive
   * growth). Default: wherever SharedArrayBuffer exists. false forces the single-thread
   * build that browsers without cross-origin isolation get.
   */
  sharedMemory?: boolean;
}

/** Below this many multiply-adds a gemm runs on one thread (a fork-join costs about 1 us). */
const GEMM_THREADING_MIN = 1 << 17;
/** Below this many hidden units x rows the LSTM kernels run on one thread. */
const LSTM_THREADING_MIN = 2048;

function pickFlavour(simd: SimdFlavour | 'auto' = 'auto'): SimdFlavour {
  if (!simdSupported()) throw new Error('the WASM backend needs WebAssembly SIMD, which this runtime lacks');
  if (simd === 'relaxed' && !relaxedSimdSupported()) {
    throw new Error('relaxed SIMD requested but this runtime does not validate it (Node 20: --experimental-wasm-relaxed-simd)');
  }
  return simd === 'auto' ? (relaxedSimdSupported() ? 'relaxed' : 'simd') : simd;
}

/** Chunks per thread: enough that a slow thread delays a call by a fraction of it. */
const CHUNKS_PER_THREAD = 4;

/**
 * Cuts [0, total) into chunks whose size is a multiple of `unit`: one chunk without
 * threads or below `minWork` (work per call), else about CHUNKS_PER_THREAD per thread.
 */
function chunking(total: number, unit: number, threads: number, work: number, minWork: number): { chunks: number; size: number } {
  if (threads <= 1 || work < minWork) return { chunks: 1, size: total };
  const units = Math.ceil(total / unit);
  const size = Math.ceil(units / Math.min(units, threads * CHUNKS_PER_THREAD)) * unit;
  return { chunks: Math.ceil(total / size), size };
}

/**
 * Kernels compiled from AssemblyScript to WebAssembly SIMD: a packed, cache-blocked GEMM
 * and fused LSTM cells, split over worker threads that share the module's memory.
 * Works in Node and in browsers (one thread there). Create with `WasmBackend.create`
 * (anywhere) or `WasmBackend.createSync` (Node).
 */
export class WasmBackend extends HostBackend implements Backend {
  readonly name = 'wasm';
  readonly threads: number;
  /** Which kernel build runs: 'relaxed' uses fused multiply-add. */
  readonly simd: SimdFlavour;
  /** Whether the memory is shared (alloc() then returns views that stay valid as it grows). */
  readonly sharedMemory: boolean;

  private readonly kernels: KernelExports;
  private readonly heap: WasmHeap;
  private readonly staging: Staging;
  private readonly pool: ThreadPool | undefined;
  /** Per thread (0 = this one): gemm packing space and a small LSTM scratch area (byte addresses). */
  private readonly work: number[] = [];
  private readonly scratch: number[] = [];
  /** The current task's arguments (shared with the workers when there are any). */
  private readonly args: Float64Array;

  private constructor(module: WebAssembly.Module, simd: SimdFlavour, shared: boolean, threads: number) {
    super();
    this.simd = simd;
    this.sharedMemory = shared;
    const memory = new WebAssembly.Memory(shared ? { initial: 64, maximum: 65536, shared: true } : { initial: 64, maximum: 65536 });
    this.kernels = instantiateKernels(module, memory);
    this.heap = new WasmHeap(memory, this.kernels.heapBase());
    this.staging = new Staging(this.heap);
    this.threads = threads;
    for (let t = 0; t < threads; t++) {
      this.work.push(this.heap.allocBytes(this.kernels.gemmWorkFloats() * 4));
      this.scratch.push(this.heap.allocBytes(128));
    }
    const workers = this.work.slice(1).map((work, i) => ({ work, scratch: this.scratch[i + 1]! }));
    this.pool = threads > 1 ? new ThreadPool(module, memory, workers) : undefined;
    this.args = this.pool ? this.pool.args : new Float64Array(16);
  }

  private static plan(options: WasmBackendOptions): { simd: SimdFlavour; shared: boolean; threads: number } {
    const simd = pickFlavour(options.simd);
    const canShare = typeof SharedArrayBuffer === 'function';
    if (options.sharedMemory && !canShare) throw new Error('sharedMemory requested but SharedArrayBuffer is unavailable here');
    const shared = options.sharedMemory ?? canShare;
    const threads = shared && canRunThreads() ? resolveThreads(options.threads) : 1;
    return { simd, shared, threads };
  }

  /** Creates the backend synchronously (Node only: it reads the .wasm file). */
  static createSync(options: WasmBackendOptions = {}): WasmBackend {
    const p = WasmBackend.plan(options);
    const module = compileKernelsSync(p.simd, p.shared);
    if (!module) throw new Error('WasmBackend.createSync needs Node; use `await WasmBackend.create()` elsewhere');
    return new WasmBackend(module, p.simd, p.shared, p.threads);
  }

  /** Creates the backend (fetches the .wasm in a browser). */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const p = WasmBackend.plan(options);
    return new WasmBackend(await compileKernels(p.simd, p.shared), p.simd, p.shared, p.threads);
  }

  /**
   * A zeroed buffer in the WASM memory: kernels use it without copying. Without a shared
   * memory a growth would detach such views, so there it is an ordinary array.
   */
  override alloc(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) throw new Error(`alloc: length must be a non-negative integer, got ${length}`);
    return this.sharedMemory ? this.heap.allocFloats(length) : new Float32Array(length);
  }

  /** Returns a buffer from alloc() for reuse; other arrays are ignored. */
  override free(buf: Float32Array): void {
    const at = this.heap.addressOf(buf);
    if (at >= 0 && this.heap.owns(at) && !this.work.includes(at) && !this.scratch.includes(at)) this.heap.freeBytes(at);
  }

  /** Stops the worker threads; the backend must not be used afterwards. */
  close(): void {
    this.pool?.close();
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void {
    checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    if (m === 0 || n === 0) return;
    const st = this.staging;
    const pa = st.add(a, extent(transA ? k : m, transA ? m : k, lda), false);
    const pb = st.add(b, extent(transB ? n : k, transB ? k : n, ldb), false);
    const pc = st.add(c, extent(m, n, ldc), true);
    st.copyIn();
    try {
      // Split the longer side (in register tiles: 8 columns, 4 rows).
      const byCols = n / 8 >= m / 4;
      const p = chunking(byCols ? n : m, byCols ? 8 : 4, this.threads, m * n * k, GEMM_THREADING_MIN);
      this.args.set([+transA, +transB, m, n, k, alpha, pa(), lda, pb(), ldb, beta, pc(), ldc, +byCols, p.size]);
      this.fork(Op.Gemm, p.chunks);
    } finally {
      st.copyOut();
    }
  }

  lstmCellForward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, h: Float32Array, ldh: number,
  ): void {
    checkLstm('lstmCellForward', rows, hidden, { gates }, { cPrev, c }, ['h', h, ldh]);
    if (rows === 0 || hidden === 0) return;
    const st = this.staging;
    const pg = st.add(gates, rows * 4 * hidden, true);
    const pcp = st.add(cPrev, rows * hidden, false);
    const pc = st.add(c, rows * hidden, true);
    const ph = st.add(h, extent(rows, hidden, ldh), true);
    st.copyIn();
    try {
      const p = chunking(hidden, 4, this.threads, rows * hidden, LSTM_THREADING_MIN);
      this.args.set([rows, hidden, pg(), pcp(), pc(), ph(), ldh, 0, p.size]);
      this.fork(Op.LstmForward, p.chunks);
    } finally {
      st.copyOut();
    }
  }

  lstmCellBackward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array,
  ): void {
    checkLstm('lstmCellBackward', rows, hidden, { gates, dGates }, { cPrev, c, dc }, ['dh', dh, lddh]);
    if (rows === 0 || hidden === 0) return;
    const st = this.staging;
    const pg = st.add(gates, rows * 4 * hidden, false);
    const pcp = st.add(cPrev, rows * hidden, false);
    const pc = st.add(c, rows * hidden, false);
    const pdh = st.add(dh, extent(rows, hidden, lddh), false);
    const pdc = st.add(dc, rows * hidden, true);
    const pdg = st.add(dGates, rows * 4 * hidden, true);
    st.copyIn();
    try {
      const p = chunking(hidden, 4, this.threads, rows * hidden, LSTM_THREADING_MIN);
      this.args.set([rows, hidden, pg(), pcp(), pc(), pdh(), lddh, pdc(), pdg(), 0, p.size]);
      this.fork(Op.LstmBackward, p.chunks);
    } finally {
      st.copyOut();
    }
  }

  /** Runs `chunks` chunks of `op` (arguments in this.args), on the workers too when there are any. */
  private fork(op: Op, chunks: number): void {
    if (this.pool && chunks > 1) this.pool.run(this.kernels, op, chunks, this.work[0]!, this.scratch[0]!);
    else for (let c = 0; c < chunks; c++) runChunk(this.kernels, op, this.args, c, this.work[0]!, this.scratch[0]!);
  }
}
