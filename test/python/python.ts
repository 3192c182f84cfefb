/** Debian's python3 with python3-torch for the PyTorch interop tests, which skip where it is missing. */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Debian's python3 (torch lives there), whatever python3 comes first on PATH. */
export const PYTHON = process.env['SAYRE_PYTHON'] ?? '/usr/bin/python3';

/** False where `PYTHON` imports `module` (torch, or torchaudio), else the reason the tests skip. */
export function torchMissing(module: 'torch' | 'torchaudio' = 'torch'): string | false {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0 ? false : `${PYTHON} cannot import ${module} (install python3-${module}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
}

/** A file of the repository's test/torch/ or python/ folder (tests run from dist/test/torch/). */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
}

/** The environment of the Python runs: one torch thread (the suite shares two cores), sayre_torch importable. */
export function torchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONPATH: repoPath('python'), PYTHONDONTWRITEBYTECODE: '1' };
}

/** Runs Python with `args` (and `input` on its stdin); returns its stdout, throws with its stderr. */
export function runPython(args: string[], input?: string): string {
  return execFileSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: torchEnv(), ...(input === undefined ? {} : { input }) });
}
