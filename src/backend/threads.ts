import { cpuCount, envVar } from './wasm/platform.js';

/** Threads a backend uses: the option, else SAYRE_THREADS, else the CPU count. */
export function requestedThreads(threads?: number): number {
  const env = envVar('SAYRE_THREADS');
  const t = threads ?? (env !== undefined && env !== '' ? Number(env) : cpuCount());
  if (!Number.isInteger(t) || t < 1) {
    throw new Error(`thread count must be a positive integer, got ${threads ?? `SAYRE_THREADS=${env}`}`);
  }
  return t;
}
