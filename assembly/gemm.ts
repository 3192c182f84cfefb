// Packed, cache-blocked GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, strides in
// elements, pointers in bytes. A is packed into MR-row strips (alpha folded in), B into
// NR-column strips (zero-padded at the edges), and a 4x8 register tile of f32x4
// accumulators does the work. Every output element sums k in the same order whatever
// the tile, so results do not depend on how a caller splits m or n between threads.
import { madd } from './simd';

const MR = 4;
const NR = 8;
/** k per packed block: a B strip (KC x NR) stays in L1, an A strip too. */
export const KC = 256;
/** Rows per packed A block (MC x KC floats, L2). */
export const MC = 128;
/** Columns per packed B block (KC x NC floats). */
export const NC = 1024;
/** Up to this many rows, an untransposed B is not packed. */
const DIRECT_B_ROWS = 32;
/** Floats of scratch one gemm call needs (packed A block + packed B block + an edge tile). */
export const WORK_FLOATS = MC * KC + KC * NC + MR * NR;

// @ts-ignore: decorator
@inline function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, out: usize, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(out, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(out + stride, f32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(out + 2 * stride, f32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(out + 3 * stride, f32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/**
 * Packs rows [0, mc) x k [0, kc) of alpha * op(A) into MR-row strips: strip s holds, for
 * each p, the MR values op(A)[s*MR + r, p]. `a` points at op(A)[0, 0].
 */
function packA(transA: bool, mc: i32, kc: i32, alpha: f32, a: usize, lda: i32, out: usize): void {
  const av = f32x4.splat(alpha);
  const ldaB = <usize>lda << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const dst = out + (<usize>i * kc << 2);
    if (transA) {
      // op(A)[i, p] = A[p, i]: the MR values for one p are contiguous.
      const src = a + (<usize>i << 2);
      if (rows == MR) {
        for (let p = 0; p < kc; p++) v128.store(dst + (<usize>p << 4), f32x4.mul(v128.load(src + <usize>p * ldaB), av));
      } else {
        for (let p = 0; p < kc; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(dst + ((<usize>p * MR + r) << 2), r < rows ? alpha * load<f32>(src + <usize>p * ldaB + (<usize>r << 2)) : 0);
          }
        }
      }
    } else {
      const src = a + <usize>i * ldaB;
      let p = 0;
      if (rows == MR) {
        for (; p + 4 <= kc; p += 4) {
          const s = src + (<usize>p << 2);
          transpose4(
            f32x4.mul(v128.load(s), av), f32x4.mul(v128.load(s + ldaB), av),
            f32x4.mul(v128.load(s + 2 * ldaB), av), f32x4.mul(v128.load(s + 3 * ldaB), av),
            dst + (<usize>p << 4), 16);
        }
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst + ((<usize>p * MR + r) << 2), r < rows ? alpha * load<f32>(src + <usize>r * ldaB + (<usize>p << 2)) : 0);
        }
      }
    }
  }
}

/**
 * Packs k [0, kc) x columns [0, nc) of op(B) into NR-column strips: strip s holds, for
 * each p, the NR values op(B)[p, s*NR + j]. `b` points at op(B)[0, 0].
 */
function packB(transB: bool, kc: i32, nc: i32, b: usize, ldb: i32, out: usize): void {
  const ldbB = <usize>ldb << 2;
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const dst = out + (<usize>j * kc << 2);
    if (!transB) {
      const src = b + (<usize>j << 2);
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const s = src + <usize>p * ldbB, d = dst + (<usize>p << 5);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          for (let c = 0; c < NR; c++) {
            store<f32>(dst + ((<usize>p * NR + c) << 2), c < cols ? load<f32>(src + <usize>p * ldbB + (<usize>c << 2)) : 0);
          }
        }
      }
    } else {
      // op(B)[p, j] = B[j, p]: each column of the strip is a contiguous row of B.
      const src = b + <usize>j * ldbB;
      let p = 0;
      if (cols == NR) {
        for (; p + 4 <= kc; p += 4) {
          const s = src + (<usize>p << 2), d = dst + (<usize>p << 5);
          transpose4(v128.load(s), v128.load(s + ldbB), v128.load(s + 2 * ldbB), v128.load(s + 3 * ldbB), d, 32);
          const s4 = s + 4 * ldbB;
          transpose4(v128.load(s4), v128.load(s4 + ldbB), v128.load(s4 + 2 * ldbB), v128.load(s4 + 3 * ldbB), d + 16, 32);
        }
      }
      for (; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(dst + ((<usize>p * NR + c) << 2), c < cols ? load<f32>(src + <usize>c * ldbB + (<usize>p << 2)) : 0);
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(c: usize, x0: v128, x1: v128, beta: f32): void {
  if (beta == 0) {
    v128.store(c, x0);
    v128.store(c, x1, 16);
  } else {
    const bv = f32x4.splat(beta);
    v128.store(c, madd(v128.load(c), bv, x0));
    v128.store(c, madd(v128.load(c, 16), bv, x1), 16);
  }
}

/**
 * The register tile: C[0:MR, 0:NR] = packed A strip * B strip + beta * C, where C is `c`
 * with row stride ldcB bytes and the B strip's rows are pbStep bytes apart (32 packed).
 */
function micro(kc: i32, pa: usize, pb: usize, pbStep: usize, c: usize, ldcB: usize, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += pbStep;
  }
  storeRow(c, c00, c01, beta);
  storeRow(c + ldcB, c10, c11, beta);
  storeRow(c + 2 * ldcB, c20, c21, beta);
  storeRow(c + 3 * ldcB, c30, c31, beta);
}

/** An edge tile: computed whole into `tile`, then its rows x cols corner is merged into C. */
function microEdge(kc: i32, pa: usize, pb: usize, pbStep: usize, c: usize, ldcB: usize, beta: f32, rows: i32, cols: i32, tile: usize): void {
  micro(kc, pa, pb, pbStep, tile, NR << 2, 0);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const t = load<f32>(tile + ((<usize>r * NR + j) << 2));
      const dst = c + <usize>r * ldcB + (<usize>j << 2);
      store<f32>(dst, beta == 0 ? t : t + beta * load<f32>(dst));
    }
  }
}

/**
 * C[m, n] = alpha * op(A)[m, k] * op(B)[k, n] + beta * C. `work` must hold WORK_FLOATS
 * floats. beta = 0 overwrites C without reading it.
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const ldcB = <usize>ldc << 2;
  if (k <= 0 || alpha == 0) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const dst = c + <usize>i * ldcB + (<usize>j << 2);
        store<f32>(dst, beta == 0 ? 0 : beta * load<f32>(dst));
      }
    }
    return;
  }
  // Few rows (the backward recurrent step, dG * W_hh): B is read once, so packing it
  // would cost more than it saves; its full 8-column strips are used in place.
  const direct = !transB && m <= DIRECT_B_ROWS;
  const packedA = work;
  const packedB = work + (<usize>(MC * KC) << 2);
  const tile = packedB + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const bb = transB ? b + ((<usize>jc * ldb + pc) << 2) : b + ((<usize>pc * ldb + jc) << 2);
      if (!direct) packB(transB, kc, nc, bb, ldb, packedB);
      const betaNow = pc == 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        const ab = transA ? a + ((<usize>pc * lda + ic) << 2) : a + ((<usize>ic * lda + pc) << 2);
        packA(transA, mc, kc, alpha, ab, lda, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          let pb = packedB + (<usize>jr * kc << 2), pbStep: usize = NR << 2;
          if (direct && cols == NR) {
            pb = bb + (<usize>jr << 2);
            pbStep = <usize>ldb << 2;
          } else if (direct) {
            packB(false, kc, cols, bb + (<usize>jr << 2), ldb, packedB);
            pb = packedB;
          }
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + (<usize>ir * kc << 2);
            const cc = c + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
            if (rows == MR && cols == NR) micro(kc, pa, pb, pbStep, cc, ldcB, betaNow);
            else microEdge(kc, pa, pb, pbStep, cc, ldcB, betaNow, rows, cols, tile);
          }
        }
      }
    }
  }
}
