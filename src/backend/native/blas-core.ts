/**
 * Which OpenBLAS kernels the native backend asks for. OpenBLAS (built DYNAMIC_ARCH, as
 * distributions ship it) picks its kernels by the CPU's model number and falls back to
 * generic SSE3 ones ("Prescott") for a model newer than its release: Debian's 0.3.21 takes
 * an Emerald Rapids Xeon (family 6, model 207, AVX-512) for a Pentium 4, and its sgemm
 * runs at 5-8 GFLOP/s a core instead of 30-80. So the CPU's features decide instead,
 * through OPENBLAS_CORETYPE, which OpenBLAS reads once, as it loads; a value already in
 * the environment wins.
 */
import type * as Fs from 'node:fs';

/** The kernels for a CPU with these feature flags (as /proc/cpuinfo names them); undefined leaves OpenBLAS to choose. */
export function blasCoreType(flags: ReadonlySet<string>): string | undefined {
  if (['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'].every((f) => flags.has(f))) return 'SkylakeX';
  if (flags.has('avx2') && flags.has('fma')) return 'Haswell';
  return undefined;
}

/** This CPU's feature flags from /proc/cpuinfo (Linux x86); empty elsewhere or where it cannot be read. */
export function cpuFlags(): Set<string> {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as typeof Fs | undefined;
  try {
    const line = fs?.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    return new Set(line?.slice(line.indexOf(':') + 1).trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/** OPENBLAS_CORETYPE as OpenBLAS should load under `env`: the value set there, else this CPU's choice (undefined: none). */
export function blasCoreFor(env: Record<string, string | undefined>): string | undefined {
  return env['OPENBLAS_CORETYPE'] ?? blasCoreType(cpuFlags());
}

/**
 * Runs `load` (which loads OpenBLAS) with OPENBLAS_CORETYPE set to this CPU's choice where
 * the environment does not set it, and takes the variable away again afterwards, so that
 * programs this process starts inherit nothing.
 */
export function withBlasCore<T>(env: Record<string, string | undefined>, load: () => T): T {
  const core = env['OPENBLAS_CORETYPE'] === undefined ? blasCoreFor(env) : undefined;
  if (core === undefined) return load();
  env['OPENBLAS_CORETYPE'] = core;
  try {
    return load();
  } finally {
    delete env['OPENBLAS_CORETYPE'];
  }
}
