import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

/** float64 reference product with explicit strides. */
function refGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (tA ? a[p * lda + i]! : a[i * lda + p]!) * (tB ? b[j * ldb + p]! : b[p * ldb + j]!);
    out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]!);
  }
  return out;
}

const backends = await availableBackends();
for (const be of backends) {
  describe(`backend ${backendLabel(be)}: gemm`, () => {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`matches the reference with transA=${tA} transB=${tB}, strides and beta`, () => {
        const next = rng(7);
        // Odd sizes cross every register-tile and cache-block edge (4x8 tiles, KC = 256).
        for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [1, 37, 300], [17, 33, 65], [16, 1024, 256], [133, 71, 517], [5, 1031, 19]] as const) {
          const lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 2, ldc = n + 1;
          const a = randomArray((tA ? k : m) * lda, next);
          const b = randomArray((tB ? n : k) * ldb, next);
          for (const beta of [0, 1, 0.5]) {
            const c = randomArray(m * ldc, next);
            if (beta === 0) c.fill(NaN); // beta = 0 must overwrite, never propagate NaN
            const expected = refGemm(tA, tB, m, n, k, 0.75, a, lda, b, ldb, beta, c, ldc);
            be.gemm(tA, tB, m, n, k, 0.75, a, lda, b, ldb, beta, c, ldc);
            const got = new Float64Array(m * n);
            for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) got[i * n + j] = c[i * ldc + j]!;
            assertClose(got, expected, 1e-4 * Math.sqrt(k), `gemm ${m}x${n}x${k} beta=${beta}`);
          }
        }
      });
    }
  });

  describe(`backend ${backendLabel(be)}: LSTM cell`, () => {
    const ref = new JsBackend();
    // H = 37 and 1 leave SIMD tails; 16 x 256 is the benchmark step (split between threads).
    for (const [rows, H] of [[5, 37], [16, 256], [3, 1]] as const) it(`forward and backward agree with the reference kernels (${rows} rows, H ${H})`, () => {
      const next = rng(11);
      const ldh = 2 * H + 3;
      const pre = randomArray(rows * 4 * H, next, 3);
      const cPrev = randomArray(rows * H, next);
      const dhOut = randomArray(rows * ldh, next);
      const dcIn = randomArray(rows * H, next);
      const run = (k: typeof be) => {
        const gates = pre.slice(), c = new Float32Array(rows * H), h = new Float32Array(rows * ldh);
        k.lstmCellForward(rows, H, gates, cPrev, c, h, ldh);
        const dc = dcIn.slice(), dGates = new Float32Array(rows * 4 * H);
        k.lstmCellBackward(rows, H, gates, cPrev, c, dhOut, ldh, dc, dGates);
        return { gates, c, h, dc, dGates };
      };
      const want = run(ref), got = run(be);
      for (const key of ['gates', 'c', 'h', 'dc', 'dGates'] as const) assertClose(got[key], want[key], 1e-5, key);
    });

    it('backward is the derivative of forward (finite differences, float64 reference)', () => {
      // loss = sum(h * R) + sum(c * S); check d loss / d pre-activation and d loss / d cPrev.
      const next = rng(5);
      const rows = 2, H = 3;
      const pre = randomArray(rows * 4 * H, next, 2);
      const cPrev = randomArray(rows * H, next);
      const R = randomArray(rows * H, next), S = randomArray(rows * H, next);
      const loss = (p: Float32Array, cp: Float32Array): number => {
        const g = Float32Array.from(p), c = new Float32Array(rows * H), h = new Float32Array(rows * H);
        ref.lstmCellForward(rows, H, g, cp, c, h, H);
        let s = 0;
        for (let i = 0; i < rows * H; i++) s += h[i]! * R[i]! + c[i]! * S[i]!;
        return s;
      };
      const gates = pre.slice(), c = new Float32Array(rows * H), h = new Float32Array(rows * H);
      be.lstmCellForward(rows, H, gates, cPrev, c, h, H);
      const dc = S.slice(), dGates = new Float32Array(rows * 4 * H);
      be.lstmCellBackward(rows, H, gates, cPrev, c, R, H, dc, dGates);
      const eps = 1e-2;
      const numeric = (arr: Float32Array, i: number, f: () => number): number => {
        const v = arr[i]!;
        arr[i] = v + eps; const up = f();
        arr[i] = v - eps; const down = f();
        arr[i] = v;
        return (up - down) / (2 * eps);
      };
      const p = pre.slice(), cp = cPrev.slice();
      const fd = Array.from({ length: rows * 4 * H }, (_, i) => numeric(p, i, () => loss(p, cp)));
      assertClose(dGates, fd, 2e-3, 'dGates');
      const fdc = Array.from({ length: rows * H }, (_, i) => numeric(cp, i, () => loss(p, cp)));
      assertClose(dc, fdc, 2e-3, 'dcPrev');
    });
  });
}
