import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/**
 * Loads the backends in a child process made to look like a browser: no
 * process.getBuiltinModule (so no fs, worker_threads or addon), fetch() for the .wasm,
 * and optionally no SharedArrayBuffer (a page without cross-origin isolation).
 */
function asBrowser(withSab: boolean): { name: string; threads: number; shared: boolean; value: number } {
  const index = new URL('../../src/backend/index.js', import.meta.url).href;
  const code = `
    import { readFileSync } from 'node:fs';
    globalThis.fetch = async (url) => new Response(readFileSync(new URL(url)));
    process.getBuiltinModule = undefined;
    ${withSab ? '' : 'delete globalThis.SharedArrayBuffer;'}
    const m = await import(${JSON.stringify(index)});
    const be = await m.initBackend();
    const a = Float32Array.of(1, 2, 3, 4), b = Float32Array.of(5, 6, 7, 8), c = new Float32Array(4);
    be.gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    console.log(JSON.stringify({ name: be.name, threads: be.threads, shared: be.sharedMemory, value: c[3] }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, SAYRE_BACKEND: '' } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { name: string; threads: number; shared: boolean; value: number };
}

describe('backends outside Node', () => {
  it('initBackend() fetches the WASM kernels and runs them on one thread', () => {
    assert.deepEqual(asBrowser(true), { name: 'wasm', threads: 1, shared: true, value: 50 });
  });

  it('falls back to an unshared memory without SharedArrayBuffer', () => {
    assert.deepEqual(asBrowser(false), { name: 'wasm', threads: 1, shared: false, value: 50 });
  });
});
