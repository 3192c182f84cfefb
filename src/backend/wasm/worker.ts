/**
 * Worker thread of the WASM backend: instantiates the kernels over the shared memory,
 * then loops forever running the tasks the main thread posts in its control slot.
 */
import { workerData } from 'node:worker_threads';
import { instantiateKernels } from './kernels.js';
import { ARGS_PER_SLOT, DONE, FLAG_STRIDE, OPCODE, Op, READY, SEQ, runTask, waitWhileEquals, type WorkerInit } from './tasks.js';

const init = workerData as WorkerInit;
const kernels = instantiateKernels(init.module, init.memory);
const flags = new Int32Array(init.flags);
const args = new Float64Array(init.args);
const base = init.index * FLAG_STRIDE;

// Read the sequence number before announcing readiness: the main thread may post the
// first task as soon as it sees READY.
let seen = Atomics.load(flags, base + SEQ);
Atomics.store(flags, base + READY, 1);
Atomics.notify(flags, base + READY);
for (;;) {
  waitWhileEquals(flags, base + SEQ, seen);
  seen = Atomics.load(flags, base + SEQ);
  const op = Atomics.load(flags, base + OPCODE) as Op;
  if (op === Op.Exit) break;
  try {
    runTask(kernels, op, args, init.index * ARGS_PER_SLOT);
  } finally {
    // Always answer, so that the main thread never waits forever.
    Atomics.store(flags, base + DONE, seen);
    Atomics.notify(flags, base + DONE);
  }
}
