import type { Backend } from '../../src/backend/index.js';
import { randomArray, rng } from './compare.js';

/**
 * A mixed set of gemm calls (every transpose, few-row and odd shapes) and LSTM cell
 * calls (H with a SIMD tail) on `be`; returns every output, for comparing backends.
 */
export function workload(be: Backend, seed: number): Float32Array[] {
  const next = rng(seed);
  const out: Float32Array[] = [];
  for (const [tA, tB, m, n, k] of [
    [false, true, 16, 1024, 256], [false, false, 16, 256, 1024], [true, false, 1024, 256, 16],
    [false, false, 300, 29, 512], [true, true, 77, 203, 131], [false, false, 256, 2048, 64],
  ] as const) {
    const a = randomArray(m * k, next), b = randomArray(k * n, next), c = randomArray(m * n, next);
    be.gemm(tA, tB, m, n, k, 0.5, a, tA ? m : k, b, tB ? k : n, 1, c, n);
    out.push(c);
  }
  const rows = 16, H = 261;
  const gates = randomArray(rows * 4 * H, next, 4), cPrev = randomArray(rows * H, next);
  const c = new Float32Array(rows * H), h = new Float32Array(rows * H);
  be.lstmCellForward(rows, H, gates, cPrev, c, h, H);
  const dc = randomArray(rows * H, next), dGates = new Float32Array(rows * 4 * H);
  be.lstmCellBackward(rows, H, gates, cPrev, c, randomArray(rows * H, next), H, dc, dGates);
  out.push(gates, c, h, dc, dGates);
  return out;
}
