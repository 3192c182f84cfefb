import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { logSoftmaxRow } from '../../src/math/log-softmax.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';
import { webgpuForTests } from '../helpers/webgpu.js';

const { kernels: gpu, skip } = await webgpuForTests();
const ref = new JsBackend();
after(() => gpu?.destroy());

// Shapes on and off the 16x16 tile: 1, 7, 17, 33 cross tile edges; k = 65 leaves a partial k-tile.
const SHAPES = [[1, 1, 1], [3, 5, 7], [16, 16, 16], [17, 33, 65], [40, 19, 70], [2, 64, 33]] as const;

describe('webgpu kernels (SwiftShader)', { skip }, () => {
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`gemm matches the js backend with transA=${tA} transB=${tB}, offsets, strides and beta`, async () => {
      const k = gpu!, next = rng(5);
      for (const [m, n, kk] of SHAPES) {
        const lda = (tA ? m : kk) + 3, ldb = (tB ? kk : n) + 2, ldc = n + 1;
        const offA = 5, offB = 2, offC = 7;
        const a = randomArray(offA + (tA ? kk : m) * lda, next);
        const b = randomArray(offB + (tB ? n : kk) * ldb, next);
        for (const beta of [0, 0.5]) {
          const c = randomArray(offC + m * ldc, next);
          if (beta === 0) c.fill(NaN, offC); // beta = 0 overwrites, never propagates NaN
          const ta = k.upload(a), tb = k.upload(b), tc = k.upload(c);
          k.gemm(tA, tB, m, n, kk, 0.75, { t: ta, offset: offA }, lda, { t: tb, offset: offB }, ldb, beta, { t: tc, offset: offC }, ldc);
          const got = await k.read(tc);
          ref.gemm(tA, tB, m, n, kk, 0.75, a.subarray(offA), lda, b.subarray(offB), ldb, beta, c.subarray(offC), ldc);
          // Elements outside the m x n block (padding, the offset) must be untouched.
          for (let i = 0; i < c.length; i++) if (Number.isNaN(c[i]!)) { c[i] = 0; got[i] = Number.isNaN(got[i]!) ? 0 : got[i]!; }
          assertClose(got, c, 1e-5 * Math.sqrt(kk), `gemm ${m}x${n}x${kk} beta=${beta}`);
          for (const t of [ta, tb, tc]) k.free(t);
        }
      }
    });
  }

  for (const log of [false, true]) {
    it(`${log ? 'log-' : ''}softmax rows match the float64 reference`, async () => {
      const k = gpu!, next = rng(9);
      // n = 1, a partial and several full passes over 64 threads; rows with large values test the max shift.
      for (const [rows, n] of [[1, 1], [3, 5], [7, 64], [4, 200], [2, 1031]] as const) {
        const ldSrc = n + 3, ldDst = n + 1, offSrc = 4;
        const src = randomArray(offSrc + rows * ldSrc, next, 30);
        const ts = k.upload(src), td = k.alloc(rows * ldDst);
        k.softmaxRows(log, rows, n, { t: ts, offset: offSrc }, ldSrc, { t: td }, ldDst);
        const out = await k.read(td);
        const got = new Float64Array(rows * n), want = new Float64Array(rows * n);
        for (let r = 0; r < rows; r++) {
          logSoftmaxRow(src, offSrc + r * ldSrc, n, want, r * n);
          for (let j = 0; j < n; j++) {
            if (!log) want[r * n + j] = Math.exp(want[r * n + j]!);
            got[r * n + j] = out[r * ldDst + j]!;
          }
        }
        assertClose(got, want, log ? 1e-4 : 1e-6, `${log ? 'log-' : ''}softmax ${rows}x${n}`);
        k.free(ts); k.free(td);
      }
    });
  }

  // H = 37 and 1 leave partial workgroups; 16 x 256 is the benchmark step.
  for (const [rows, H] of [[5, 37], [16, 256], [3, 1]] as const) {
    it(`LSTM cell forward and backward match the js backend (${rows} rows, H ${H})`, async () => {
      const k = gpu!, next = rng(11);
      const ldh = 2 * H + 3;
      const pre = randomArray(rows * 4 * H, next, 3);
      const cPrev = randomArray(rows * H, next);
      const hInit = randomArray(rows * ldh, next);
      const dhOut = randomArray(rows * ldh, next);
      const dcIn = randomArray(rows * H, next);
      const tg = k.upload(pre), tp = k.upload(cPrev), tc = k.alloc(rows * H), th = k.upload(hInit);
      const tdh = k.upload(dhOut), tdc = k.upload(dcIn), tdg = k.alloc(rows * 4 * H);
      k.lstmCellForward(rows, H, { t: tg }, { t: tp }, { t: tc }, { t: th }, ldh);
      k.lstmCellBackward(rows, H, { t: tg }, { t: tp }, { t: tc }, { t: tdh }, ldh, { t: tdc }, { t: tdg });
      const gates = pre.slice(), c = new Float32Array(rows * H), h = hInit.slice();
      ref.lstmCellForward(rows, H, gates, cPrev, c, h, ldh);
      const dc = dcIn.slice(), dGates = new Float32Array(rows * 4 * H);
      ref.lstmCellBackward(rows, H, gates, cPrev, c, dhOut, ldh, dc, dGates);
      assertClose(await k.read(tg), gates, 1e-6, 'gates');
      assertClose(await k.read(tc), c, 1e-6, 'c');
      assertClose(await k.read(th), h, 1e-6, 'h (and the columns past H untouched)');
      assertClose(await k.read(tdc), dc, 1e-5, 'dc');
      assertClose(await k.read(tdg), dGates, 1e-5, 'dGates');
      for (const t of [tg, tp, tc, th, tdh, tdc, tdg]) k.free(t);
    });
  }

  it('kernels chain on the device and read back once', async () => {
    const k = gpu!, next = rng(3);
    const [m, n, kk] = [6, 10, 9];
    const a = randomArray(m * kk, next), b = randomArray(kk * n, next);
    const ta = k.upload(a), tb = k.upload(b), tc = k.alloc(m * n), tl = k.alloc(m * n);
    const before = k.readBacks;
    k.gemm(false, false, m, n, kk, 1, { t: ta }, kk, { t: tb }, n, 0, { t: tc }, n);
    k.softmaxRows(true, m, n, { t: tc }, n, { t: tl }, n);
    const got = await k.read(tl);
    assert.equal(k.readBacks - before, 1);
    const c = new Float32Array(m * n);
    ref.gemm(false, false, m, n, kk, 1, a, kk, b, n, 0, c, n);
    const want = new Float64Array(m * n);
    for (let r = 0; r < m; r++) logSoftmaxRow(c, r * n, n, want, r * n);
    assertClose(got, want, 1e-5, 'log-softmax(A B)');
  });

  it('rejects a view that does not fit its tensor, naming it', () => {
    const k = gpu!, t = k.alloc(10);
    assert.throws(() => k.gemm(false, false, 3, 4, 2, 1, { t }, 2, { t }, 4, 0, { t: k.alloc(11) }, 4), /gemm: C \[3x4, stride 4\] at offset 0 exceeds the tensor's 11 elements/);
  });
});
