/** How many threads a parallel kernel may use: an explicit option, else $SAYRE_THREADS, else min(2, cores). */
import { nodeBuiltins } from './node-builtins.js';

/** The default thread count where neither the option nor SAYRE_THREADS sets one. */
export const DEFAULT_MAX_THREADS = 2;

/**
 * Resolves a `threads` option: a positive integer; else $SAYRE_THREADS; else
 * min(2, available cores). Throws on a malformed value (naming where it came from).
 */
export function resolveThreads(option?: number): number {
  if (option !== undefined) return checkCount(option, 'threads option');
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['SAYRE_THREADS'];
  if (env !== undefined && env !== '') return checkCount(Number(env), `SAYRE_THREADS=${env}`);
  const cores = nodeBuiltins()?.os.availableParallelism() ?? 1;
  return Math.max(1, Math.min(DEFAULT_MAX_THREADS, cores));
}

function checkCount(n: number, where: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: thread count must be a positive integer`);
  return n;
}
