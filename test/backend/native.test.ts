import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { NativeBackend, nativeAvailable, nativeUnavailableReason } from '../../src/backend/index.js';
import { blasCoreFor, blasCoreType, withBlasCore } from '../../src/backend/native/blas-core.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

describe('native backend', { skip: nativeAvailable() ? false : `not built (${nativeUnavailableReason()})` }, () => {
  it('gives the same few-row products on 1 and 2 threads (bit for bit with its own kernel)', () => {
    const run = (threads: number): Float32Array[] => {
      const be = new NativeBackend({ threads });
      const next = rng(8);
      const out: Float32Array[] = [];
      for (const [tB, m, n, k] of [[true, 16, 1024, 256], [false, 16, 256, 1024], [true, 7, 1030, 333], [false, 31, 999, 65]] as const) {
        const a = randomArray(m * k, next), b = randomArray(k * n, next), c = randomArray(m * n, next);
        be.gemm(false, tB, m, n, k, 0.5, a, k, b, tB ? k : n, 0.25, c, n);
        out.push(c);
      }
      return out;
    };
    const one = run(1), two = run(2);
    // OpenBLAS (no AVX-512, or SAYRE_NATIVE_PLAIN_BLAS=1) may sum differently per block size.
    if (new NativeBackend({ threads: 1 }).fewRowKernel) one.forEach((c, i) => assert.deepEqual(two[i], c, `product ${i}`));
    else one.forEach((c, i) => assertClose(two[i]!, c, 1e-4, `product ${i}`));
  });

  it('flushes subnormal floats to zero in its kernels (they cost x86 cores ~100x), and leaves JavaScript\'s arithmetic IEEE after each call', () => {
    const tiny = Math.fround(1e-40); // a subnormal float32
    assert.ok(tiny > 0 && tiny < 1.2e-38);
    for (const threads of [1, 2]) {
      const be = new NativeBackend({ threads });
      // 64 x 64 x 64 products go through the pool on 2 threads
      const m = 64, a = new Float32Array(m * m).fill(tiny), b = new Float32Array(m * m).fill(1), c = new Float32Array(m * m).fill(7);
      be.gemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m);
      assert.ok(c.every((v) => v === 0), `${threads} thread(s): subnormal inputs count as zero`);
      const normal = new Float32Array(m * m).fill(1e-20);
      be.gemm(false, false, m, m, m, 1, normal, m, normal, m, 0, c, m);
      assert.ok(c.every((v) => v === 0), `${threads} thread(s): a subnormal result is zero`); // 64e-40 in exact arithmetic
    }
    // Node's thread has its IEEE mode back: subnormal doubles and floats survive arithmetic
    const halves = [Number.MIN_VALUE * 4, 0.5];
    assert.equal(halves[0]! * halves[1]!, Number.MIN_VALUE * 2);
    assert.equal(Math.fround(Math.fround(1e-39) * Number(halves[1])), Math.fround(5e-40));
    assert.ok(new Float32Array([tiny])[0]! > 0);
  });

  it('serves several JavaScript threads computing at once, each with its own thread count (the server\'s recogniser and stream threads)', async () => {
    // Each thread runs 2-thread products that go through the pool, all at the same time;
    // the pool once served them as one task and hung.
    const backendUrl = new URL('../../src/backend/index.js', import.meta.url).href;
    const code = `
      const { parentPort, workerData } = await import('node:worker_threads');
      const { NativeBackend } = await import(${JSON.stringify(backendUrl)});
      const be = new NativeBackend({ threads: workerData.threads });
      const m = 160, a = new Float32Array(m * m), b = new Float32Array(m * m), c = new Float32Array(m * m);
      for (let i = 0; i < m * m; i++) { a[i] = Math.sin(i); b[i] = Math.cos(3 * i); }
      let sum = 0;
      for (let r = 0; r < 60; r++) { be.gemm(false, r % 2 === 1, m, m, m, 1, a, m, b, m, 0, c, m); sum += c[r * 7]; }
      parentPort.postMessage(sum);`;
    const run = (threads: number): Promise<number> => new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { threads } });
      w.once('message', (v: number) => { resolve(v); void w.terminate(); });
      w.once('error', reject);
    });
    const alone = await run(1);
    const together = await Promise.all([run(2), run(2), run(1), run(2)]);
    together.forEach((v, i) => assert.ok(Math.abs(v - alone) <= 1e-3 * Math.abs(alone), `thread ${i}: ${v} vs ${alone}`));
  });

  it('reports its OpenBLAS build', () => {
    assert.match(new NativeBackend({ threads: 1 }).blasInfo, /OpenBLAS/);
  });

  it('runs the OpenBLAS kernels that this CPU\'s features call for (not generic ones for a CPU model OpenBLAS does not know)', () => {
    const core = blasCoreFor(process.env);
    if (core === undefined) return; // no AVX2 here: OpenBLAS chooses
    assert.match(new NativeBackend({ threads: 1 }).blasInfo, new RegExp(`\\b${core}\\b`, 'i'));
  });

  /**
   * Loads the backend first on a worker thread of a fresh process with `env` (whose main
   * thread never loads the addon: a worker's process.env is a copy): its blasInfo, what
   * OPENBLAS_CORETYPE the process is left with, and its stderr.
   */
  function workerLoad(env: NodeJS.ProcessEnv): { info: string; left: string | null; stderr: string } {
    const backendUrl = new URL('../../src/backend/index.js', import.meta.url).href;
    const main = `
      import { Worker } from 'node:worker_threads';
      const w = new Worker(${JSON.stringify(`
        const { parentPort } = await import('node:worker_threads');
        const { NativeBackend } = await import(${JSON.stringify(backendUrl)});
        parentPort.postMessage(new NativeBackend({ threads: 1 }).blasInfo);`)}, { eval: true });
      // printed once the worker has ended by itself: terminating it at its message could cut off its stderr (its warning)
      let info;
      w.once('message', (m) => { info = m; });
      w.once('exit', () => console.log(JSON.stringify({ info, left: process.env.OPENBLAS_CORETYPE ?? null })));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    return { ...(JSON.parse(r.stdout) as { info: string; left: string | null }), stderr: r.stderr };
  }

  it('runs the same kernels where a worker thread loads it first (the server\'s threads), and leaves no variable set', () => {
    // the kernels of the environment the worker gets: a machine that sets OPENBLAS_CORETYPE itself chose its own
    const env = { ...process.env };
    delete env['OPENBLAS_CORETYPE'];
    const core = blasCoreFor(env);
    if (core === undefined) return;
    const { info, left } = workerLoad(env);
    assert.match(info, new RegExp(`\\b${core}\\b`, 'i'));
    assert.equal(left, null);
  });

  it('still loads on a worker thread without the env module, and warns that the kernels may be slower', () => {
    // A copy of the addon alone in a folder, as an older build left it.
    const dir = mkdtempSync(join(tmpdir(), 'sayre-addon-'));
    const copy = join(dir, 'sayre_native.node');
    copyFileSync(new URL('../../../native/build/Release/sayre_native.node', import.meta.url), copy);
    try {
      const { info, stderr } = workerLoad({ ...process.env, SAYRE_NATIVE_ADDON: copy });
      assert.ok(info.length > 0);
      assert.match(stderr, /sayre_env\.node is missing \(rebuild with `npm run build:native`\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenBLAS kernel choice', () => {
  it('asks for SkylakeX with AVX-512 (F, CD, BW, DQ, VL), Haswell with AVX2 and FMA, else leaves OpenBLAS to choose', () => {
    const avx2 = ['sse2', 'avx', 'avx2', 'fma'];
    assert.equal(blasCoreType(new Set([...avx2, 'avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'])), 'SkylakeX');
    assert.equal(blasCoreType(new Set([...avx2, 'avx512f'])), 'Haswell'); // Knights Landing's subset
    assert.equal(blasCoreType(new Set(avx2)), 'Haswell');
    assert.equal(blasCoreType(new Set(['sse2', 'avx'])), undefined);
    assert.equal(blasCoreType(new Set()), undefined);
  });

  it('a value in the environment wins, and the variable is set only while OpenBLAS loads', () => {
    assert.equal(blasCoreFor({ OPENBLAS_CORETYPE: 'Zen' }), 'Zen');
    const env: Record<string, string | undefined> = {};
    const during = withBlasCore(env, () => env['OPENBLAS_CORETYPE']);
    assert.equal(during, blasCoreFor({}));
    assert.equal('OPENBLAS_CORETYPE' in env, false);
    const set: Record<string, string | undefined> = { OPENBLAS_CORETYPE: 'Haswell' };
    assert.equal(withBlasCore(set, () => set['OPENBLAS_CORETYPE']), 'Haswell');
    assert.equal(set['OPENBLAS_CORETYPE'], 'Haswell');
  });
});
