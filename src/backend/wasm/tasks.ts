/**
 * The work items that the main thread and the workers run: an opcode and its numeric
 * arguments, read from a Float64Array slot of the shared control block.
 */
import type { KernelExports } from './kernels.js';

export const Op = { Gemm: 1, LstmForward: 2, LstmBackward: 3, Exit: 4 } as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Arguments per task slot (the longest task, gemm, takes 14). */
export const ARGS_PER_SLOT = 16;

/** Runs one task: `args[at..]` holds the kernel's arguments in order. */
export function runTask(k: KernelExports, op: Op, args: Float64Array, at: number): void {
  const x = (i: number): number => args[at + i]!;
  switch (op) {
    case Op.Gemm:
      k.gemm(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), x(9), x(10), x(11), x(12), x(13));
      return;
    case Op.LstmForward:
      k.lstmForward(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), x(9));
      return;
    case Op.LstmBackward:
      k.lstmBackward(x(0), x(1), x(2), x(3), x(4), x(5), x(6), x(7), x(8), x(9), x(10), x(11));
      return;
    default:
      throw new Error(`unknown kernel task ${op}`);
  }
}

/**
 * Control block layout, shared by main thread and workers. Per worker w, in an
 * Int32Array: [w*16] the task sequence number the main thread posts, [w*16+1] the last
 * one the worker finished, [w*16+2] the opcode, [w*16+3] 1 once the worker is ready.
 * (16 ints apart: each worker's flags sit in their own cache line.)
 */
export const FLAG_STRIDE = 16;
export const SEQ = 0, DONE = 1, OPCODE = 2, READY = 3;

/** Spins this many times reading a flag before sleeping in Atomics.wait (~tens of us). */
export const SPIN = 20000;

/** What a worker receives as workerData. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  flags: SharedArrayBuffer;
  args: SharedArrayBuffer;
  index: number;
}

/** Waits until flags[i] != value: spin first (cheap wake-ups between back-to-back kernels), then sleep. */
export function waitWhileEquals(flags: Int32Array, i: number, value: number): void {
  for (let s = 0; s < SPIN; s++) if (Atomics.load(flags, i) !== value) return;
  while (Atomics.load(flags, i) === value) Atomics.wait(flags, i, value);
}
