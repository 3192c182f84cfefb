/**
 * A small synchronous worker pool for Node: `run` spreads the indices 0..count-1 of a task
 * over the calling thread and up to threads-1 worker threads, and returns when all are
 * done (the caller blocks in Atomics.wait). Work is handed out one index at a time from a
 * shared counter, so uneven items balance themselves; a task must write each item's
 * results to its own slots (SharedArrayBuffer views) so that they do not depend on which
 * thread ran the item, and reduce them afterwards in a fixed order.
 *
 * A task is a function `(args, index) => void` exported by an ES module: the calling thread
 * uses the function it was given, workers import the module by URL (once) and call the
 * export of that name. `args` is structured-cloned to each worker on every run, so put
 * bulk data in SharedArrayBuffers. Workers start lazily, are reused, and are unref'd so
 * they never keep a process alive. Where worker_threads or a blocking wait are not
 * available (browsers) or outside the main thread, `run` runs everything inline.
 */
import type { Worker, MessagePort } from 'node:worker_threads';
import { nodeBuiltins } from './node-builtins.js';

/** Names the code that workers run: the URL of an ES module and the name of a function it exports. */
export interface PoolTask {
  module: string;
  fn: string;
}

/** One item of a task; must be deterministic in (args, index). */
export type TaskFn<A> = (args: A, index: number) => void;

// Control block: the next index to hand out, how many workers finished, an error flag,
// then one ready flag per worker.
const NEXT = 0;
const DONE = 1;
const FAILED = 2;
const READY = 3;
const MAX_WORKERS = 64;
const START_TIMEOUT_MS = 30_000; // generous: a loaded machine starts threads slowly

interface Slot {
  worker: Worker;
  errors: MessagePort;
}

/** The job message a worker receives. */
export interface PoolJob {
  module: string;
  fn: string;
  args: unknown;
  count: number;
}

class WorkerPool {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * (READY + MAX_WORKERS)));
  private readonly slots: Slot[] = [];
  private broken = false;

  get size(): number {
    return this.slots.length;
  }

  /** True where this thread may block and start workers. */
  static supported(): boolean {
    const nb = nodeBuiltins();
    return nb !== undefined && nb.wt.isMainThread && typeof SharedArrayBuffer === 'function';
  }

  run<A>(task: PoolTask, local: TaskFn<A>, args: A, count: number, threads: number, alongside?: () => void): void {
    // The calling thread takes items too, unless it has work of its own alongside.
    const helpers = Math.min(threads - 1, alongside ? count : count - 1, MAX_WORKERS);
    if (helpers <= 0 || this.broken || !this.ensureWorkers(helpers)) {
      runInline(local, args, count, alongside);
      return;
    }
    const ctl = this.ctl;
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, FAILED, 0);
    const job: PoolJob = { module: task.module, fn: task.fn, args, count };
    jobsRun++;
    for (let w = 0; w < helpers; w++) this.slots[w]!.worker.postMessage(job);
    let localError: unknown;
    try {
      alongside?.();
      for (let i = Atomics.add(ctl, NEXT, 1); i < count; i = Atomics.add(ctl, NEXT, 1)) local(args, i);
    } catch (e) {
      localError = e;
      Atomics.store(ctl, NEXT, count); // let the workers stop early
    }
    for (let done = Atomics.load(ctl, DONE); done < helpers; done = Atomics.load(ctl, DONE)) {
      Atomics.wait(ctl, DONE, done);
    }
    if (localError !== undefined) throw localError;
    if (Atomics.load(ctl, FAILED) !== 0) {
      const { wt } = nodeBuiltins()!;
      for (let w = 0; w < helpers; w++) {
        const msg = wt.receiveMessageOnPort(this.slots[w]!.errors);
        if (msg) throw new Error(String(msg.message)); // the task's own message, as on one thread
      }
      throw new Error('worker thread failed');
    }
  }

  /** Starts workers up to n and waits (once) until they run; false if they cannot start. */
  private ensureWorkers(n: number): boolean {
    if (this.slots.length >= n) return true;
    const { wt } = nodeBuiltins()!;
    const entry = new URL('./worker-entry.js', import.meta.url);
    try {
      while (this.slots.length < n) {
        const id = this.slots.length;
        const channel = new wt.MessageChannel();
        const worker = new wt.Worker(entry, {
          workerData: { ctl: this.ctl.buffer, id, errors: channel.port2 },
          transferList: [channel.port2],
        });
        worker.unref();
        channel.port1.unref();
        this.slots.push({ worker, errors: channel.port1 });
      }
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (let id = 0; id < n; id++) {
        while (Atomics.load(this.ctl, READY + id) === 0) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error('worker start timed out');
          Atomics.wait(this.ctl, READY + id, 0, left);
        }
      }
      return true;
    } catch {
      // Could not start threads here: run everything on the calling thread from now on.
      this.broken = true;
      for (const s of this.slots) void s.worker.terminate();
      this.slots.length = 0;
      return false;
    }
  }
}

let shared: WorkerPool | null | undefined;
let jobsRun = 0;

/** Counters for checking that work really went to threads: workers started, runs spread over them. */
export function poolStats(): { workers: number; parallelRuns: number } {
  return { workers: shared ? shared.size : 0, parallelRuns: jobsRun };
}

function runInline<A>(local: TaskFn<A>, args: A, count: number, alongside?: () => void): void {
  alongside?.();
  for (let i = 0; i < count; i++) local(args, i);
}

/**
 * Runs `count` items of `task` over `threads` threads (the calling one included), inline
 * when threads <= 1, there is nothing to share, or threads are unavailable. `alongside`,
 * when given, is work the calling thread does first while the workers start on the items
 * (say, items it keeps for itself because their data need not go to shared memory); it then
 * joins in on the items left. Rethrows the first error.
 */
export function runParallel<A>(task: PoolTask, local: TaskFn<A>, args: A, count: number, threads: number, alongside?: () => void): void {
  const shareable = alongside ? count >= 1 : count > 1;
  if (threads > 1 && shareable && shared === undefined) shared = WorkerPool.supported() ? new WorkerPool() : null;
  if (threads <= 1 || !shareable || !shared) {
    runInline(local, args, count, alongside);
    return;
  }
  shared.run(task, local, args, count, threads, alongside);
}

/** How many threads runParallel can really use here for a request of `threads`. */
export function usableThreads(threads: number): number {
  return WorkerPool.supported() ? threads : 1;
}

export const CONTROL = { NEXT, DONE, FAILED, READY } as const;
