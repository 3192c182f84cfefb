/** A pool task for the tests: records which thread ran each index, after spinning a while. */
import { threadId } from 'node:worker_threads';

export interface SpinArgs {
  /** Out: ran[i] = 1 + the thread id that ran index i. */
  ran: Int32Array;
  /** Busy time per index, ms. */
  ms: number;
  /** Throw at this index (or -1). */
  failAt: number;
}

export function spinTask(a: SpinArgs, i: number): void {
  if (i === a.failAt) throw new Error(`task failed at index ${i}`);
  const end = performance.now() + a.ms;
  while (performance.now() < end) {
    // busy: the work that a thread would do
  }
  Atomics.store(a.ran, i, 1 + threadId);
}
