/**
 * The backend contract as layers use it, on every backend including webgpu (SwiftShader
 * here): arrays from alloc, uploaded, worked on by kernels, read back with `await read`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { allBackends, backendLabel, fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

const ref = new JsBackend();

for (const be of await allBackends()) {
  describe(`backend ${backendLabel(be)}: array operations`, () => {
    it('fill, copy, copyRows (strided and broadcast), axpy on views', async () => {
      const next = rng(3);
      const src = randomArray(50, next), base = randomArray(60, next);
      const a = onBackend(be, base), s = onBackend(be, src);
      const want = base.slice();
      be.fill(a.subarray(2, 7), 0.5); want.fill(0.5, 2, 7);
      be.copy(s.subarray(1, 9), a.subarray(10)); want.set(src.subarray(1, 9), 10);
      be.copyRows(3, 4, s.subarray(5), 7, a.subarray(20), 6);
      for (let r = 0; r < 3; r++) want.set(src.subarray(5 + r * 7, 5 + r * 7 + 4), 20 + r * 6);
      be.copyRows(3, 5, s.subarray(30), 0, a.subarray(40), 5);
      for (let r = 0; r < 3; r++) want.set(src.subarray(30, 35), 40 + r * 5);
      be.axpy(-0.25, s.subarray(0, 6), a.subarray(54));
      for (let i = 0; i < 6; i++) want[54 + i] = Math.fround(want[54 + i]! + Math.fround(-0.25 * src[i]!));
      assertClose(await fromBackend(be, a), want, 1e-6, 'array ops');
    });

    it('gatherRows packs and unpacks rows (zeros where the index is -1); addColumnSums', async () => {
      const next = rng(4);
      const cols = 3, src = randomArray(5 * cols, next);
      const index = Int32Array.from([4, -1, 0, 2, -1, 1]);
      const d = be.alloc(index.length * cols);
      be.gatherRows(cols, onBackend(be, src), index, d);
      const want = new Float32Array(index.length * cols);
      index.forEach((s, i) => { if (s >= 0) want.set(src.subarray(s * cols, (s + 1) * cols), i * cols); });
      assert.deepEqual(await fromBackend(be, d), want);
      const m = randomArray(7 * 9, next), out = randomArray(4, next);
      const o = onBackend(be, out);
      be.addColumnSums(7, 4, onBackend(be, m).subarray(2), 9, o);
      const w = out.slice();
      ref.addColumnSums(7, 4, m.subarray(2), 9, w);
      assertClose(await fromBackend(be, o), w, 1e-5, 'column sums');
    });

    it('gemm and the LSTM cell on views of one array (operands that share storage)', async () => {
      const next = rng(8);
      const rows = 3, H = 5;
      // gates | cPrev | c in one array, as the layer's saved cells are: c_{t-1} and c_t share a buffer.
      const host = randomArray(rows * 4 * H + 2 * rows * H, next, 2);
      const h = new Float32Array(rows * 2 * H);
      const arr = onBackend(be, host), hb = onBackend(be, h);
      const g0 = rows * 4 * H, c0 = g0 + rows * H;
      be.lstmCellForward(rows, H, arr.subarray(0, g0), arr.subarray(g0, c0), arr.subarray(c0), hb, 2 * H);
      ref.lstmCellForward(rows, H, host.subarray(0, g0), host.subarray(g0, c0), host.subarray(c0), h, 2 * H);
      assertClose(await fromBackend(be, arr), host, 1e-5, 'gates and cells');
      assertClose(await fromBackend(be, hb), h, 1e-5, 'h');
      // C = A B^T with A and C in one array.
      const m = randomArray(4 * 6 + 4 * 5, next), b = randomArray(5 * 6, next);
      const mb = onBackend(be, m);
      be.gemm(false, true, 4, 5, 6, 1, mb.subarray(0, 24), 6, onBackend(be, b), 6, 0, mb.subarray(24), 5);
      ref.gemm(false, true, 4, 5, 6, 1, m.subarray(0, 24), 6, b, 6, 0, m.subarray(24), 5);
      assertClose(await fromBackend(be, mb), m, 1e-5, 'gemm');
    });
  });
}

describe('backend webgpu: host arrays', () => {
  it('are refused by the kernels, naming the kernel and how to upload', async (t) => {
    const be = (await allBackends()).find((b) => b.onDevice);
    if (!be) return t.skip('no webgpu adapter here');
    assert.throws(() => be.fill(new Float32Array(3), 0), /fill: webgpu got a Float32Array that is not one of its arrays/);
  });
});
