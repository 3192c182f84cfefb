/** Starting a recogniser thread: it loads its model, then says `ready` (or `failed`, saying why). */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Kernel threads for each of `count` recogniser threads: the cores shared out (at least
 * one each), so that threads decoding at once do not oversubscribe the machine; undefined
 * (each thread's default) where SAYRE_THREADS says.
 */
export function kernelThreadsEach(count: number): number | undefined {
  if (process.env.SAYRE_THREADS) return undefined;
  return Math.max(1, Math.floor(availableParallelism() / count));
}

/**
 * Starts the thread at `url` with `workerData` (and `kernelThreads` as its SAYRE_THREADS
 * when given) and resolves with it and its ready message once its model is loaded; rejects
 * (the thread stopped) if it fails.
 */
export function spawnThread<Ready extends object>(url: URL, workerData: unknown, what: string, kernelThreads?: number): Promise<{ worker: Worker; ready: Ready }> {
  return new Promise((resolve, reject) => {
    const env = kernelThreads === undefined ? process.env : { ...process.env, SAYRE_THREADS: String(kernelThreads) };
    const worker = new Worker(url, { workerData, env });
    const fail = (err: Error): void => {
      void worker.terminate();
      reject(err);
    };
    worker.once('error', fail);
    worker.once('message', (m: { type: string; message?: string }) => {
      worker.off('error', fail);
      if (m.type === 'ready') resolve({ worker, ready: m as unknown as Ready });
      else fail(new Error(m.type === 'failed' ? String(m.message) : `${what}: unexpected first message ${m.type}`));
    });
  });
}

/**
 * Starts `count` threads with `start` (given each one's kernel threads, the cores shared
 * out) and resolves with them once all are ready; if any fails, stops those that did start,
 * so that nothing keeps the process alive, and rejects with its error.
 */
export async function startThreads<T extends { worker: Worker }>(
  count: number, start: (kernelThreads: number | undefined) => Promise<T>,
): Promise<{ started: T[]; kernelThreads: number | undefined }> {
  const kernelThreads = kernelThreadsEach(count);
  const settled = await Promise.allSettled(Array.from({ length: count }, () => start(kernelThreads)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    for (const s of settled) if (s.status === 'fulfilled') void s.value.worker.terminate();
    throw failed.reason;
  }
  return { started: settled.map((s) => (s as PromiseFulfilledResult<T>).value), kernelThreads };
}
