import type { Backend } from '../backend.js';
import { checkGemm, checkLstm, extent } from '../validate.js';
import { WasmHeap } from './heap.js';
import {
  compileKernels, compileKernelsSync, instantiateKernels, relaxedSimdSupported, simdSupported,
  type KernelExports, type SimdFlavour,
} from './kernels.js';
import { requestedThreads } from '../threads.js';
import { canRunThreads } from './platform.js';
import { Staging } from './staging.js';
import { Op, runTask } from './tasks.js';
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

/** Splits [0, total) into at most `parts` ranges whose bounds are multiples of `unit`. */
function split(total: number, parts: number, unit: number): [number, number][] {
  const units = Math.ceil(total / unit);
  const per = Math.ceil(units / parts);
  const out: [number, number][] = [];
  for (let u = 0; u < units; u += per) out.push([u * unit, Math.min(total, (u + per) * unit)]);
  return out;
}

/**
 * Kernels compiled from AssemblyScript to WebAssembly SIMD: a packed, cache-blocked GEMM
 * and fused LSTM cells, split over worker threads that share the module's memory.
 * Works in Node and in browsers (one thread there). Create with `WasmBackend.create`
 * (anywhere) or `WasmBackend.createSync` (Node).
 */
export class WasmBackend implements Backend {
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
  /** Per thread: gemm packing space and a small LSTM scratch area (byte addresses). */
  private readonly work: number[] = [];
  private readonly scratch: number[] = [];
  private readonly own: Float64Array;

  private constructor(module: WebAssembly.Module, simd: SimdFlavour, shared: boolean, threads: number) {
    this.simd = simd;
    this.sharedMemory = shared;
    const memory = new WebAssembly.Memory(shared ? { initial: 64, maximum: 65536, shared: true } : { initial: 64, maximum: 65536 });
    this.kernels = instantiateKernels(module, memory);
    this.heap = new WasmHeap(memory, this.kernels.heapBase());
    this.staging = new Staging(this.heap);
    this.pool = threads > 1 ? new ThreadPool(threads - 1, module, memory) : undefined;
    this.threads = threads;
    for (let t = 0; t < threads; t++) {
      this.work.push(this.heap.allocBytes(this.kernels.gemmWorkFloats() * 4));
      this.scratch.push(this.heap.allocBytes(128));
    }
    this.own = this.pool ? this.pool.args.subarray(this.pool.slot(this.pool.workers)) : new Float64Array(16);
  }

  private static plan(options: WasmBackendOptions): { simd: SimdFlavour; shared: boolean; threads: number } {
    const simd = pickFlavour(options.simd);
    const canShare = typeof SharedArrayBuffer === 'function';
    if (options.sharedMemory && !canShare) throw new Error('sharedMemory requested but SharedArrayBuffer is unavailable here');
    const shared = options.sharedMemory ?? canShare;
    const threads = shared && canRunThreads() ? requestedThreads(options.threads) : 1;
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
  alloc(length: number): Float32Array {
    if (!Number.isInteger(length) || length < 0) throw new Error(`alloc: length must be a non-negative integer, got ${length}`);
    return this.sharedMemory ? this.heap.allocFloats(length) : new Float32Array(length);
  }

  /** Returns a buffer from alloc() for reuse; other arrays are ignored. */
  free(buf: Float32Array): void {
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
      const A = pa(), B = pb(), C = pc();
      // Split the longer side (in register tiles: 8 columns, 4 rows) between threads.
      const byCols = n / 8 >= m / 4;
      const parts = this.pool && m * n * k >= GEMM_THREADING_MIN ? split(byCols ? n : m, this.threads, byCols ? 8 : 4) : [[0, byCols ? n : m] as [number, number]];
      this.fork(Op.Gemm, parts.length, (t, args, at) => {
        const [lo, hi] = parts[t]!;
        const [i0, j0, mm, nn] = byCols ? [0, lo, m, hi - lo] : [lo, 0, hi - lo, n];
        const aAt = A + 4 * (transA ? i0 : i0 * lda), bAt = B + 4 * (transB ? j0 * ldb : j0);
        args.set([+transA, +transB, mm, nn, k, alpha, aAt, lda, bAt, ldb, beta, C + 4 * (i0 * ldc + j0), ldc, this.work[t]!], at);
      });
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
      const G = pg(), CP = pcp(), C = pc(), Hh = ph();
      const parts = this.lstmParts(rows, hidden);
      this.fork(Op.LstmForward, parts.length, (t, args, at) => {
        args.set([rows, hidden, G, CP, C, Hh, ldh, parts[t]![0], parts[t]![1], this.scratch[t]!], at);
      });
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
      const G = pg(), CP = pcp(), C = pc(), DH = pdh(), DC = pdc(), DG = pdg();
      const parts = this.lstmParts(rows, hidden);
      this.fork(Op.LstmBackward, parts.length, (t, args, at) => {
        args.set([rows, hidden, G, CP, C, DH, lddh, DC, DG, parts[t]![0], parts[t]![1], this.scratch[t]!], at);
      });
    } finally {
      st.copyOut();
    }
  }

  private lstmParts(rows: number, hidden: number): [number, number][] {
    return this.pool && rows * hidden >= LSTM_THREADING_MIN ? split(hidden, this.threads, 4) : [[0, hidden]];
  }

  /**
   * Runs `op` as `count` tasks: `fill(t, args, at)` writes task t's arguments; task 0 runs
   * on this thread, tasks 1.. on workers 0...
   */
  private fork(op: Op, count: number, fill: (t: number, args: Float64Array, at: number) => void): void {
    fill(0, this.own, 0);
    if (!this.pool || count <= 1) {
      runTask(this.kernels, op, this.own, 0);
      return;
    }
    const pool = this.pool;
    for (let t = 1; t < count; t++) fill(t, pool.args, pool.slot(t - 1));
    pool.run(op, count - 1, () => runTask(this.kernels, op, this.own, 0));
  }
}
