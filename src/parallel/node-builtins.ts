/**
 * Node's worker_threads and os modules, loaded synchronously where they exist (Node >= 20.16
 * has process.getBuiltinModule), so that importing sayre in a browser never fails: there
 * this returns undefined and parallel kernels run on one thread.
 */
import type * as WorkerThreads from 'node:worker_threads';
import type * as Os from 'node:os';

export interface NodeBuiltins {
  wt: typeof WorkerThreads;
  os: typeof Os;
}

let cached: NodeBuiltins | null | undefined;

export function nodeBuiltins(): NodeBuiltins | undefined {
  if (cached === undefined) {
    cached = null;
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    try {
      const wt = proc?.getBuiltinModule?.('node:worker_threads') as typeof WorkerThreads | undefined;
      const os = proc?.getBuiltinModule?.('node:os') as typeof Os | undefined;
      if (wt && os) cached = { wt, os };
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
