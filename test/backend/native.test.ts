import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NativeBackend, nativeAvailable, nativeUnavailableReason } from '../../src/backend/index.js';
import { randomArray, rng } from '../helpers/compare.js';

describe('native backend', { skip: nativeAvailable() ? false : `not built (${nativeUnavailableReason()})` }, () => {
  it('gives bit-identical few-row products (its own threaded kernel) on 1 and 2 threads', () => {
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
    one.forEach((c, i) => assert.deepEqual(two[i], c, `product ${i}`));
  });

  it('reports its OpenBLAS build', () => {
    assert.match(new NativeBackend({ threads: 1 }).blasInfo, /OpenBLAS/);
  });
});
