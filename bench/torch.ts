/** Runs a PyTorch peer script with Debian's python3 and the given thread count. */
import { spawnSync } from 'node:child_process';
import { blasCoreFor } from '../src/backend/native/blas-core.js';

/** Debian's python3 (torch lives there), whatever python3 comes first on PATH. */
export const PYTHON = process.env['SAYRE_PYTHON'] ?? '/usr/bin/python3';

/**
 * Runs `script` (Python source) with torch limited to `threads` threads (torch,
 * OpenBLAS and OpenMP alike, passive waiting so two pools do not fight) and returns the
 * JSON it printed on its last line, or undefined (with a message) where torch is missing.
 */
export function runTorch<T>(script: string, threads: number, args: string[] = []): T | undefined {
  const r = spawnSync(PYTHON, torchArgs(script, threads, args), { env: torchEnv(threads), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    console.log(`  (PyTorch peer unavailable: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return undefined;
  }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/**
 * The environment that limits torch, OpenBLAS and OpenMP to `threads` threads (passive
 * waiting), with OpenBLAS's kernels named as sayre's native backend names them: Debian's
 * torch does its products in the system OpenBLAS, which takes a CPU model newer than
 * itself for a generic one (src/backend/native/blas-core.ts), and a peer crippled so
 * measures nothing.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const core = blasCoreFor(process.env);
  return {
    ...process.env, ...(core === undefined ? {} : { OPENBLAS_CORETYPE: core }),
    OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OMP_WAIT_POLICY: 'PASSIVE',
  };
}

/** python3 arguments that run `script` with torch at `threads` threads. */
export function torchArgs(script: string, threads: number, args: string[] = []): string[] {
  return ['-c', `import torch; torch.set_num_threads(${threads})\n${script}`, ...args];
}

/** Median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
