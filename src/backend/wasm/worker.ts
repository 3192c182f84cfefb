/**
 * Worker thread of the WASM backend: instantiates the kernels over the shared memory,
 * then, for each task the main thread announces, claims and runs chunks until none is left.
 */
import { instantiateKernels } from './kernels.js';
import { workerInit } from './platform.js';
import { ANNOUNCE, OPCODE, Op, READY, runClaims, waitWhileEquals, type WorkerInit } from './tasks.js';

const init = (await workerInit()) as WorkerInit;
const kernels = instantiateKernels(init.module, init.memory);
const control = new Int32Array(init.control);
const claim = new BigInt64Array(init.claim);
const args = new Float64Array(init.args);

// Read the sequence number before announcing readiness: the main thread may post the
// first task as soon as it sees READY.
let seen = Atomics.load(control, ANNOUNCE);
Atomics.store(control, READY + init.index, 1);
Atomics.notify(control, READY + init.index);
for (;;) {
  waitWhileEquals(control, ANNOUNCE, seen);
  seen = Atomics.load(control, ANNOUNCE);
  if (Atomics.load(control, OPCODE) === Op.Exit) break;
  runClaims(kernels, seen, claim, control, args, init.work, init.scratch);
}
