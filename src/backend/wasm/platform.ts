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

/**
 * Whether this thread may block in Atomics.wait and start Node worker threads sharing a
 * memory: true in Node (main thread and workers), false in browsers, where the main
 * thread may not block.
 */
export function canRunThreads(): boolean {
  return typeof SharedArrayBuffer === 'function' && builtin<typeof WorkerThreads>('node:worker_threads') !== undefined;
}

/** Starts `url` as a Node worker thread with `data` as its workerData; unref'd, so it never keeps the process alive. */
export function startWorker(url: URL, data: unknown): WorkerHandle {
  const wt = builtin<typeof WorkerThreads>('node:worker_threads');
  if (!wt) throw new Error('worker threads are not available here');
  const w = new wt.Worker(url, { workerData: data });
  w.unref();
  return { terminate: () => void w.terminate() };
}
