import { HostBackend } from './host-backend.js';
import type { Backend } from './backend.js';
import { checkGemm, checkLstm } from './validate.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Plain TypeScript kernels: slow, obviously correct, available everywhere. The reference
 * that the fast backends are tested against.
 */
export class JsBackend extends HostBackend implements Backend {
  readonly name = 'js';
  readonly threads = 1;

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void {
    checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[p * lda + i]! : a[i * lda + p]!;
          const bv = transB ? b[j * ldb + p]! : b[p * ldb + j]!;
          sum += av * bv;
        }
        const idx = i * ldc + j;
        c[idx] = beta === 0 ? alpha * sum : alpha * sum + beta * c[idx]!;
      }
    }
  }

  lstmCellForward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, h: Float32Array, ldh: number,
  ): void {
    checkLstm('lstmCellForward', rows, hidden, { gates }, { cPrev, c }, ['h', h, ldh]);
    const H = hidden;
    for (let r = 0; r < rows; r++) {
      const g0 = r * 4 * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(gates[g0 + j]!);
        const f = sigmoid(gates[g0 + H + j]!);
        const g = Math.tanh(gates[g0 + 2 * H + j]!);
        const o = sigmoid(gates[g0 + 3 * H + j]!);
        gates[g0 + j] = i;
        gates[g0 + H + j] = f;
        gates[g0 + 2 * H + j] = g;
        gates[g0 + 3 * H + j] = o;
        const cv = f * cPrev[r * H + j]! + i * g;
        c[r * H + j] = cv;
        h[r * ldh + j] = o * Math.tanh(cv);
      }
    }
  }

  lstmCellBackward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array,
  ): void {
    checkLstm('lstmCellBackward', rows, hidden, { gates, dGates }, { cPrev, c, dc }, ['dh', dh, lddh]);
    const H = hidden;
    for (let r = 0; r < rows; r++) {
      const g0 = r * 4 * H;
      for (let j = 0; j < H; j++) {
        const i = gates[g0 + j]!;
        const f = gates[g0 + H + j]!;
        const g = gates[g0 + 2 * H + j]!;
        const o = gates[g0 + 3 * H + j]!;
        const tc = Math.tanh(c[r * H + j]!);
        const dhv = dh[r * lddh + j]!;
        const dct = dc[r * H + j]! + dhv * o * (1 - tc * tc);
        dGates[g0 + j] = dct * g * i * (1 - i);
        dGates[g0 + H + j] = dct * cPrev[r * H + j]! * f * (1 - f);
        dGates[g0 + 2 * H + j] = dct * i * (1 - g * g);
        dGates[g0 + 3 * H + j] = dhv * tc * o * (1 - o);
        dc[r * H + j] = dct * f;
      }
    }
  }
}
