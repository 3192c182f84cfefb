/**
 * Child-process helper for wasm.test.ts (not a test itself): runs the same gemm and LSTM
 * calls on the plain-SIMD and relaxed-SIMD builds and prints their largest differences
 * from the JS reference as JSON. Needs a runtime that validates relaxed SIMD (Node 20:
 * --experimental-wasm-relaxed-simd).
 */
import { JsBackend, WasmBackend } from '../../src/backend/index.js';
import type { Backend } from '../../src/backend/index.js';
import { maxAbsDiff, randomArray, rng } from '../helpers/compare.js';

function run(be: Backend): Float32Array[] {
  const next = rng(3);
  const out: Float32Array[] = [];
  for (const [tA, tB, m, n, k] of [[false, true, 16, 1024, 256], [true, false, 67, 45, 300], [false, false, 9, 13, 600]] as const) {
    const a = randomArray(m * k, next), b = randomArray(k * n, next), c = randomArray(m * n, next);
    be.gemm(tA, tB, m, n, k, 1, a, tA ? m : k, b, tB ? k : n, 0.5, c, n);
    out.push(c);
  }
  const rows = 4, H = 45;
  const gates = randomArray(rows * 4 * H, next, 4), cPrev = randomArray(rows * H, next);
  const c = new Float32Array(rows * H), h = new Float32Array(rows * H);
  be.lstmCellForward(rows, H, gates, cPrev, c, h, H);
  const dc = randomArray(rows * H, next), dGates = new Float32Array(rows * 4 * H);
  be.lstmCellBackward(rows, H, gates, cPrev, c, randomArray(rows * H, next), H, dc, dGates);
  out.push(gates, c, h, dc, dGates);
  return out;
}

const want = run(new JsBackend());
const diffs: Record<string, number> = {};
for (const simd of ['simd', 'relaxed'] as const) {
  const be = WasmBackend.createSync({ simd, threads: 2 });
  const got = run(be);
  diffs[be.simd] = Math.max(...got.map((g, i) => maxAbsDiff(g, want[i]!)));
  be.close();
}
console.log(JSON.stringify(diffs));
