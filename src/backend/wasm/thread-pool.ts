/**
 * Fork-join over worker threads that share the kernels' memory, with a synchronous
 * interface: the main thread posts one task per worker, runs its own share, then blocks
 * (spinning briefly, then in Atomics.wait) until every worker has answered.
 */
import { startWorker, type WorkerHandle } from './platform.js';
import { ARGS_PER_SLOT, DONE, FLAG_STRIDE, OPCODE, Op, READY, SEQ, waitWhileEquals, type WorkerInit } from './tasks.js';

/** How long to wait for workers to start before giving up on threads. */
const START_TIMEOUT_MS = 20000;

export class ThreadPool {
  /** Task arguments: slot w at [w * ARGS_PER_SLOT]; slot `workers` is the main thread's. */
  readonly args: Float64Array;
  private readonly flags: Int32Array;
  private readonly handles: WorkerHandle[] = [];
  private seq = 0;

  /** Starts `workers` threads and waits until each has instantiated the kernels. */
  constructor(readonly workers: number, module: WebAssembly.Module, memory: WebAssembly.Memory) {
    const flagsBuf = new SharedArrayBuffer(4 * FLAG_STRIDE * Math.max(1, workers));
    const argsBuf = new SharedArrayBuffer(8 * ARGS_PER_SLOT * (workers + 1));
    this.flags = new Int32Array(flagsBuf);
    this.args = new Float64Array(argsBuf);
    const url = new URL('./worker.js', import.meta.url);
    for (let w = 0; w < workers; w++) {
      const init: WorkerInit = { module, memory, flags: flagsBuf, args: argsBuf, index: w };
      this.handles.push(startWorker(url, init));
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let w = 0; w < workers; w++) {
      const i = w * FLAG_STRIDE + READY;
      while (Atomics.load(this.flags, i) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.close();
          throw new Error(`WASM worker thread ${w} did not start within ${START_TIMEOUT_MS} ms`);
        }
        Atomics.wait(this.flags, i, 0, left);
      }
    }
  }

  /** Offset of thread t's arguments in `args` (t = workers is the calling thread). */
  slot(t: number): number {
    return t * ARGS_PER_SLOT;
  }

  /**
   * Runs `op` on workers 0..count-1 (their arguments already written in `args`) while
   * `own` runs here, and returns when all have finished.
   */
  run(op: Op, count: number, own: () => void): void {
    const seq = ++this.seq;
    for (let w = 0; w < count; w++) {
      const b = w * FLAG_STRIDE;
      Atomics.store(this.flags, b + OPCODE, op);
      Atomics.store(this.flags, b + SEQ, seq);
      Atomics.notify(this.flags, b + SEQ);
    }
    try {
      own();
    } finally {
      for (let w = 0; w < count; w++) {
        const i = w * FLAG_STRIDE + DONE;
        let done = Atomics.load(this.flags, i);
        while (done !== seq) {
          waitWhileEquals(this.flags, i, done);
          done = Atomics.load(this.flags, i);
        }
      }
    }
  }

  /** Stops the workers. */
  close(): void {
    const seq = ++this.seq;
    for (let w = 0; w < this.handles.length; w++) {
      const b = w * FLAG_STRIDE;
      Atomics.store(this.flags, b + OPCODE, Op.Exit);
      Atomics.store(this.flags, b + SEQ, seq);
      Atomics.notify(this.flags, b + SEQ);
    }
    for (const h of this.handles) h.terminate();
    this.handles.length = 0;
  }
}
