import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JsBackend, WasmBackend, createBackend, relaxedSimdSupported } from '../../src/backend/index.js';
import { workload } from '../helpers/backend-workload.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

describe('wasm backend', () => {
  it('gives bit-identical results on 1, 2 and 3 threads', () => {
    const results = [1, 2, 3].map((threads) => {
      const be = WasmBackend.createSync({ threads });
      assert.equal(be.threads, threads);
      const r = workload(be, 21);
      be.close();
      return r;
    });
    for (const other of results.slice(1)) {
      other.forEach((arr, i) => assert.deepEqual(arr, results[0]![i], `output ${i} differs between thread counts`));
    }
  });

  it('runs the same on an unshared memory (browsers without cross-origin isolation)', () => {
    const local = WasmBackend.createSync({ sharedMemory: false, threads: 2 });
    assert.equal(local.sharedMemory, false);
    assert.equal(local.threads, 1);
    const shared = WasmBackend.createSync({ threads: 1 });
    const a = local.alloc(3);
    assert.ok(!(a.buffer instanceof SharedArrayBuffer), 'alloc() gives an ordinary array there');
    const want = workload(shared, 33);
    workload(local, 33).forEach((arr, i) => assert.deepEqual(arr, want[i], `output ${i}`));
    shared.close();
  });

  it('gives the same results for wasm-memory views and ordinary arrays (strided, in place)', () => {
    const be = WasmBackend.createSync({ threads: 2 });
    const next = rng(4);
    const m = 37, n = 70, k = 90, lda = k + 5, ldb = n + 3, ldc = n + 7;
    const a = randomArray(m * lda, next), b = randomArray(k * ldb, next), c = randomArray(m * ldc, next);
    const va = be.alloc(a.length), vb = be.alloc(b.length), vc = be.alloc(c.length);
    va.set(a); vb.set(b); vc.set(c);
    be.gemm(false, false, m, n, k, 1, a, lda, b, ldb, 0.25, c, ldc);
    be.gemm(false, false, m, n, k, 1, va, lda, vb, ldb, 0.25, vc, ldc);
    assert.deepEqual(vc, c);
    // Mixed: a subarray view of wasm memory with an offset, and a plain array.
    const sub = be.alloc(b.length + 11).subarray(11);
    sub.set(b);
    const c2 = randomArray(m * ldc, rng(9)), c3 = c2.slice();
    be.gemm(false, false, m, n, k, 1, a, lda, sub, ldb, 0, c2, ldc);
    be.gemm(false, false, m, n, k, 1, a, lda, b, ldb, 0, c3, ldc);
    assert.deepEqual(c2, c3);
    // The gaps between strided rows of an ordinary output array are left alone.
    for (let i = 0; i < m; i++) for (let j = n; j < ldc && i * ldc + j < c.length; j++) assert.equal(c3[i * ldc + j], c2[i * ldc + j]);
    be.close();
  });

  it('keeps earlier views valid while its memory grows', () => {
    const be = WasmBackend.createSync({ threads: 2 });
    assert.equal(be.sharedMemory, true);
    const next = rng(5);
    const a = be.alloc(64 * 64), b = be.alloc(64 * 64), c = be.alloc(64 * 64);
    a.set(randomArray(a.length, next)); b.set(randomArray(b.length, next));
    const big: Float32Array[] = [];
    for (let i = 0; i < 4; i++) big.push(be.alloc(16 << 20)); // 4 x 64 MB: several growths
    for (const x of big) assert.equal(x.length, 16 << 20);
    assert.equal(a.length, 64 * 64);
    be.gemm(false, false, 64, 64, 64, 1, a, 64, b, 64, 0, c, 64);
    const want = new Float32Array(64 * 64);
    new JsBackend().gemm(false, false, 64, 64, 64, 1, a, 64, b, 64, 0, want, 64);
    assertClose(c, want, 1e-4);
    big[3]![5] = 7;
    be.gemm(false, false, 1, 1, 1, 1, big[3]!.subarray(5), 1, big[3]!.subarray(5), 1, 0, big[0]!, 1);
    assert.equal(big[0]![0], 49);
    for (const x of big) be.free(x);
    // Freed space is reused: another large buffer fits without growing further.
    const again = be.alloc(32 << 20);
    assert.equal(again.length, 32 << 20);
    assert.ok(again.every((v) => v === 0), 'alloc() returns zeroed memory');
    be.close();
  });

  it('rejects short arrays and bad strides with a message, before touching memory', () => {
    const be = WasmBackend.createSync({ threads: 1 });
    const x = new Float32Array(10);
    assert.throws(() => be.gemm(false, false, 4, 3, 3, 1, x, 3, x, 3, 0, x, 3), /gemm: A has 10 elements, needs 12/);
    assert.throws(() => be.gemm(false, true, 2, 2, 3, 1, x, 2, x, 3, 0, x, 2), /lda = 2 is smaller than the 3 columns of A/);
    assert.throws(() => be.lstmCellForward(2, 3, new Float32Array(23), x, x, x, 3), /lstmCellForward: gates has 23 elements, needs 24/);
    assert.throws(() => be.gemm(false, false, -1, 3, 3, 1, x, 3, x, 3, 0, x, 3), /m must be a non-negative integer/);
    be.close();
  });

  it('relaxed-SIMD (FMA) and plain-SIMD builds both match the reference', () => {
    const script = fileURLToPath(new URL('./wasm-check.js', import.meta.url));
    // Whatever made relaxed SIMD validate here (a flag on this process, or nothing on a
    // newer Node) must hold in the child too; otherwise ask for it explicitly.
    const flags = relaxedSimdSupported()
      ? process.execArgv.filter((a) => a.startsWith('--experimental-wasm'))
      : ['--experimental-wasm-relaxed-simd'];
    const r = spawnSync(process.execPath, [...flags, script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const diffs = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    assert.deepEqual(Object.keys(diffs).sort(), ['relaxed', 'simd']);
    for (const [flavour, d] of Object.entries(diffs)) assert.ok(d < 2e-4, `${flavour}: max diff ${d}`);
  });

  it('is chosen with SAYRE_BACKEND and reports unknown or missing backends clearly', () => {
    assert.equal(createBackend('wasm', { threads: 1 }).name, 'wasm');
    assert.throws(() => createBackend('gpu' as 'js'), /unknown backend "gpu"/);
    const index = new URL('../../src/backend/index.js', import.meta.url).href;
    const code = `import(${JSON.stringify(index)}).then((m) => console.log(m.getBackend().name))`;
    const run = (backend: string) => spawnSync(process.execPath, ['-e', code], {
      encoding: 'utf8', env: { ...process.env, SAYRE_BACKEND: backend, SAYRE_THREADS: '1' },
    });
    assert.equal(run('wasm').stdout.trim(), 'wasm');
    assert.equal(run('js').stdout.trim(), 'js');
    assert.match(run('cuda').stderr, /unknown backend "cuda"/);
    const native = run('native');
    assert.ok(native.stdout.trim() === 'native' || /backend "native" is unavailable: .*npm run build:native/.test(native.stderr), native.stderr);
  });
});
