/**
 * Fork-join over worker threads that share the kernels' memory, with a synchronous
 * interface. A task is cut into chunks; the main thread announces it, claims chunks like
 * every worker does, then waits (briefly spinning, then in Atomics.wait) for the chunks
 * that workers are still running. A worker that is slow to wake (a busy machine) simply
 * claims nothing, so the call never waits for a thread that has not started.
 */
import type { KernelExports } from './kernels.js';
import { startWorker, type WorkerHandle, workersStartWhileBlocked } from './platform.js';
import { ANNOUNCE, ARGS, FINISHED, OPCODE, Op, READY, runClaims, waitWhileEquals, type WorkerInit } from './tasks.js';

/** How long to wait for workers to start before giving up on threads. */
const START_TIMEOUT_MS = 20000;

export class ThreadPool {
  /** The current task's arguments. */
  readonly args: Float64Array;
  private readonly control: Int32Array;
  private readonly claim: BigInt64Array;
  private readonly handles: WorkerHandle[] = [];
  private seq = 0;

  /**
   * Starts one worker per entry of `buffers` (its gemm work area and LSTM scratch) and
   * waits until each has instantiated the kernels.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, buffers: { work: number; scratch: number }[]) {
    const control = new SharedArrayBuffer(4 * (READY + buffers.length));
    const claim = new SharedArrayBuffer(8);
    const args = new SharedArrayBuffer(8 * ARGS);
    this.control = new Int32Array(control);
    this.claim = new BigInt64Array(claim);
    this.args = new Float64Array(args);
    const url = new URL('./worker.js', import.meta.url);
    buffers.forEach((b, index) => {
      const init: WorkerInit = { module, memory, control, claim, args, index, work: b.work, scratch: b.scratch };
      this.handles.push(startWorker(url, init));
    });
    // In a browser the workers cannot start while this thread blocks: they join when up.
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let w = 0; w < buffers.length && workersStartWhileBlocked(); w++) {
      while (Atomics.load(this.control, READY + w) === 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.close();
          throw new Error(`WASM worker thread ${w} did not start within ${START_TIMEOUT_MS} ms`);
        }
        Atomics.wait(this.control, READY + w, 0, left);
      }
    }
  }

  /**
   * Runs `chunks` chunks of `op` (arguments already in `args`) on this thread and the
   * workers; returns when all have finished.
   */
  run(k: KernelExports, op: Op, chunks: number, work: number, scratch: number): void {
    if (chunks >= 1 << 16) throw new Error(`too many chunks: ${chunks}`);
    const seq = (this.seq = (this.seq + 1) % 0x7fffffff);
    Atomics.store(this.control, OPCODE, op);
    Atomics.store(this.control, FINISHED, 0);
    Atomics.store(this.claim, 0, (BigInt(seq) << 32n) | (BigInt(chunks) << 16n));
    Atomics.store(this.control, ANNOUNCE, seq);
    Atomics.notify(this.control, ANNOUNCE);
    try {
      runClaims(k, seq, this.claim, this.control, this.args, work, scratch);
    } finally {
      // Even after an error here, no worker may still be running this task's chunks
      // when the next one is posted: stop further claims, then wait for those in flight.
      const left = Number(Atomics.exchange(this.claim, 0, BigInt(seq) << 32n) & 0xffffn);
      const started = Math.min(left, chunks);
      let done = Atomics.load(this.control, FINISHED);
      while (done < started) {
        waitWhileEquals(this.control, FINISHED, done);
        done = Atomics.load(this.control, FINISHED);
      }
    }
  }

  /** Stops the workers. */
  close(): void {
    Atomics.store(this.control, OPCODE, Op.Exit);
    Atomics.store(this.control, ANNOUNCE, (this.seq = (this.seq + 1) % 0x7fffffff));
    Atomics.notify(this.control, ANNOUNCE);
    for (const h of this.handles) h.terminate();
    this.handles.length = 0;
  }
}
