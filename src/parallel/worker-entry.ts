/**
 * A pool worker (see pool.ts): signals that it is ready, then for each job imports the
 * task module (cached), takes indices from the shared counter until none are left, and
 * counts itself done. Errors go to the pool's error port and set the shared error flag.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { CONTROL, type PoolJob } from './pool.js';

type TaskModule = Record<string, unknown>;

const { ctl: ctlBuffer, id, errors } = workerData as { ctl: SharedArrayBuffer; id: number; errors: MessagePort };
const ctl = new Int32Array(ctlBuffer);
const modules = new Map<string, TaskModule>();

parentPort!.on('message', (job: PoolJob) => {
  void runJob(job);
});

async function runJob(job: PoolJob): Promise<void> {
  try {
    let mod = modules.get(job.module);
    if (!mod) {
      mod = (await import(job.module)) as TaskModule;
      modules.set(job.module, mod);
    }
    const fn = mod[job.fn];
    if (typeof fn !== 'function') throw new Error(`${job.module} exports no function ${job.fn}`);
    for (let i = Atomics.add(ctl, CONTROL.NEXT, 1); i < job.count; i = Atomics.add(ctl, CONTROL.NEXT, 1)) {
      (fn as (args: unknown, index: number) => void)(job.args, i);
    }
  } catch (e) {
    Atomics.store(ctl, CONTROL.NEXT, job.count);
    Atomics.store(ctl, CONTROL.FAILED, 1);
    errors.postMessage(e instanceof Error ? e.message : String(e));
  } finally {
    Atomics.add(ctl, CONTROL.DONE, 1);
    Atomics.notify(ctl, CONTROL.DONE);
  }
}

Atomics.store(ctl, CONTROL.READY + id, 1);
Atomics.notify(ctl, CONTROL.READY + id);
