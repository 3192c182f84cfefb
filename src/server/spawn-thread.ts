/** Starting a recogniser thread: it loads its model, then says `ready` (or `failed`, saying why). */
import { Worker } from 'node:worker_threads';


/** Starts the thread at `url` with `workerData` and resolves with it and its ready message once its model is loaded; rejects (the thread stopped) if it fails. */
export function spawnThread<Ready extends object>(url: URL, workerData: unknown, what: string): Promise<{ worker: Worker; ready: Ready }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData });
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
