/**
 * Child-process helper for wasm.test.ts (not a test itself): runs the same gemm and LSTM
 * calls on the plain-SIMD and relaxed-SIMD builds and prints their largest differences
 * from the JS reference as JSON. Needs a runtime that validates relaxed SIMD (Node 20:
 * --experimental-wasm-relaxed-simd).
 */
import { JsBackend, WasmBackend } from '../../src/backend/index.js';
import { workload } from '../helpers/backend-workload.js';
import { maxAbsDiff } from '../helpers/compare.js';

const want = workload(new JsBackend(), 3);
const diffs: Record<string, number> = {};
for (const simd of ['simd', 'relaxed'] as const) {
  const be = WasmBackend.createSync({ simd, threads: 2 });
  const got = workload(be, 3);
  diffs[be.simd] = Math.max(...got.map((g, i) => maxAbsDiff(g, want[i]!)));
  be.close();
}
console.log(JSON.stringify(diffs));
