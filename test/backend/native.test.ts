import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeBackend, nativeAvailable, nativeUnavailableReason } from '../../src/backend/index.js';
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

  it('reports its OpenBLAS build', () => {
    assert.match(new NativeBackend({ threads: 1 }).blasInfo, /OpenBLAS/);
  });
});
