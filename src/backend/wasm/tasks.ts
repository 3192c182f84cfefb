/**
 * The work the main thread and the workers share: one task (an opcode and its numeric
 * arguments in a shared Float64Array) cut into chunks along one dimension, which any
 * thread may claim. Every chunk's elements are computed the same way whoever runs it, so
 * results do not depend on the thread count or on which thread ran what.
 */
import type { KernelExports } from './kernels.js';

export const Op = { Gemm: 1, LstmForward: 2, LstmBackward: 3, Exit: 4 } as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Up to this many rows, A * B^T skips packing (assembly/gemm-small.ts): the recurrent step. */
const SMALL_NT_ROWS = 32;

/**
 * Runs chunk `c` of a task. args holds the kernel's arguments, then [split, size]:
 * chunk c covers [c * size, (c + 1) * size) of the split range (gemm: columns when
 * split = 1, rows when 0; LSTM: hidden units). `work` and `scratch` are the running
 * thread's own buffers.
 */
export function runChunk(k: KernelExports, op: Op, args: Float64Array, c: number, work: number, scratch: number): void {
  const x = (i: number): number => args[i]!;
  switch (op) {
    case Op.Gemm: {
      const tA = x(0), tB = x(1), m = x(2), n = x(3), lda = x(7), ldb = x(9), ldc = x(12);
      const byCols = x(13) === 1, size = x(14);
      const lo = c * size, hi = Math.min(lo + size, byCols ? n : m);
      const [i0, j0, mm, nn] = byCols ? [0, lo, m, hi - lo] : [lo, 0, hi - lo, n];
      const aAt = x(6) + 4 * (tA ? i0 : i0 * lda), bAt = x(8) + 4 * (tB ? j0 * ldb : j0), cAt = x(11) + 4 * (i0 * ldc + j0);
      // The whole product's shape picks the kernel, so every chunk of it uses the same one.
      if (!tA && tB && m <= SMALL_NT_ROWS) k.gemmSmallNT(mm, nn, x(4), x(5), aAt, lda, bAt, ldb, x(10), cAt, ldc);
      else k.gemm(tA, tB, mm, nn, x(4), x(5), aAt, lda, bAt, ldb, x(10), cAt, ldc, work);
      return;
    }
    case Op.LstmForward: {
      const lo = c * x(8), hi = Math.min(lo + x(8), x(1));
      k.lstmForward(x(0), x(1), x(2), x(3), x(4), x(5), x(6), lo, hi, scratch);
      return;
    }
    case Op.LstmBackward: {
      const lo = c * x(10), hi = Math.min(lo + x(10), x(1));
      k.lstmBackward(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), lo, hi, scratch);
      return;
    }
    default:
      throw new Error(`unknown kernel task ${op}`);
  }
}

/** Float64 arguments of one task (gemm takes 15). */
export const ARGS = 16;

/**
 * Int32 control words. ANNOUNCE: the sequence number of the latest task (workers sleep
 * on it); OPCODE; FINISHED: chunks of the current task finished; READY + w: worker w is
 * up. The claim word is a separate BigInt64: seq << 32 | chunks << 16 | next chunk, so a
 * claim (compare-exchange) can only succeed for the task it was meant for.
 */
export const ANNOUNCE = 0, OPCODE = 16, FINISHED = 32, READY = 48;

/** Spins (reading a word) before sleeping in Atomics.wait: about 2-5 us. */
export const SPIN = 2000;

/** What a worker receives as workerData. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  claim: SharedArrayBuffer;
  args: SharedArrayBuffer;
  index: number;
  work: number;
  scratch: number;
}

/** Claims and runs chunks of task `seq` until none is left; returns how many it ran. */
export function runClaims(k: KernelExports, seq: number, claim: BigInt64Array, control: Int32Array,
  args: Float64Array, work: number, scratch: number): number {
  let ran = 0;
  for (;;) {
    const s = Atomics.load(claim, 0);
    if (Number(s >> 32n) !== seq) return ran;
    const chunks = Number((s >> 16n) & 0xffffn), next = Number(s & 0xffffn);
    if (next >= chunks) return ran;
    if (Atomics.compareExchange(claim, 0, s, s + 1n) !== s) continue;
    // Claimed: the task cannot change until this chunk is reported finished.
    const op = Atomics.load(control, OPCODE) as Op;
    try {
      runChunk(k, op, args, next, work, scratch);
    } finally {
      Atomics.add(control, FINISHED, 1);
      Atomics.notify(control, FINISHED); // cheap when nobody waits
    }
    ran++;
  }
}

/** Waits until control[i] != value: a short spin (back-to-back kernels), then sleep. */
export function waitWhileEquals(control: Int32Array, i: number, value: number): void {
  for (let s = 0; s < SPIN; s++) if (Atomics.load(control, i) !== value) return;
  while (Atomics.load(control, i) === value) Atomics.wait(control, i, value);
}
