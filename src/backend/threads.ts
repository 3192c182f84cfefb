/**
 * The library's one thread policy, for the backends (GEMM, LSTM cells) and the loss
 * kernels' worker pool alike: an explicit `threads` option, else $SAYRE_THREADS, else
 * every available core.
 */
import { cpuCount, envVar } from './wasm/platform.js';

/** Resolves a `threads` option by the policy above; throws on a malformed value, naming where it came from. */
export function resolveThreads(option?: number): number {
  if (option !== undefined) return checkCount(option, 'threads option');
  const env = envVar('SAYRE_THREADS');
  if (env !== undefined && env !== '') return checkCount(Number(env), `SAYRE_THREADS=${env}`);
  return Math.max(1, cpuCount());
}

function checkCount(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: thread count must be a positive integer`);
  return n;
}
