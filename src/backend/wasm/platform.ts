/**
 * The only place the WASM backend touches Node-specific modules (fs, worker_threads,
 * os). They are reached through process.getBuiltinModule at run time, so bundlers for
 * the browser see no Node import; in a browser every function here reports "absent".
 */
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
  env: Record<string, string | undefined>;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p && typeof p.getBuiltinModule === 'function' ? p : undefined;
}

function builtin<T>(id: string): T | undefined {
  return nodeProcess()?.getBuiltinModule?.(id) as T | undefined;
}

/** An environment variable, or undefined outside Node. */
export function envVar(name: string): string | undefined {
  return (globalThis as { process?: NodeProcess }).process?.env[name];
}

/** Reads a file:// URL synchronously (Node only; undefined elsewhere). */
export function readFileSync(url: URL): Uint8Array<ArrayBuffer> | undefined {
  if (url.protocol !== 'file:') return undefined;
  const fs = builtin<typeof Fs>('node:fs');
  return fs ? new Uint8Array(fs.readFileSync(url)) : undefined;
}

/** Fetches a URL's bytes: the file system in Node, fetch() elsewhere. */
export async function readBytes(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const local = readFileSync(url);
  if (local) return local;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Logical CPUs (1 where unknown). */
export function cpuCount(): number {
  const os = builtin<typeof Os>('node:os');
  if (os) return os.availableParallelism();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** A started worker thread: only what the pool needs. */
export interface WorkerHandle {
  terminate(): void;
}

/** A browser's dedicated worker that is cross-origin isolated: it may block in Atomics.wait and share memory with workers it starts. */
function isolatedBrowserWorker(): boolean {
  const g = globalThis as { WorkerGlobalScope?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  return g.WorkerGlobalScope !== undefined && g.crossOriginIsolated === true && typeof g.Worker === 'function';
}

/**
 * Whether this thread may block in Atomics.wait and start worker threads sharing a
 * memory: true in Node (main thread and workers) and in a cross-origin isolated browser
 * worker; false on a browser's main thread, which may not block.
 */
export function canRunThreads(): boolean {
  return typeof SharedArrayBuffer === 'function' && (builtin<typeof WorkerThreads>('node:worker_threads') !== undefined || isolatedBrowserWorker());
}

/**
 * Whether a started worker comes up while its parent blocks: true in Node; false in
 * browsers, where a worker may start only once its parent returns to its event loop (so
 * the pool there must not wait for workers before its first task; late ones join later).
 */
export function workersStartWhileBlocked(): boolean {
  return builtin<typeof WorkerThreads>('node:worker_threads') !== undefined;
}

/**
 * Starts `url` as a worker thread with `data` as its init message: a Node worker thread
 * (workerData; unref'd, so it never keeps the process alive), or in a browser a module
 * Worker that receives `data` as its first message.
 */
export function startWorker(url: URL, data: unknown): WorkerHandle {
  const wt = builtin<typeof WorkerThreads>('node:worker_threads');
  if (wt) {
    const w = new wt.Worker(url, { workerData: data });
    w.unref();
    return { terminate: () => void w.terminate() };
  }
  if (!isolatedBrowserWorker()) throw new Error('worker threads are not available here');
  const w = new Worker(url, { type: 'module' });
  w.postMessage(data);
  return { terminate: () => w.terminate() };
}

/** In a worker started by {@link startWorker}: its init data (Node's workerData, or the first message in a browser). */
export function workerInit(): Promise<unknown> {
  const wt = builtin<typeof WorkerThreads>('node:worker_threads');
  if (wt) return Promise.resolve(wt.workerData);
  return new Promise((resolve) => {
    globalThis.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true });
  });
}
