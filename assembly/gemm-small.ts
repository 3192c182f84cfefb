// C[m, n] = alpha * A[m, k] * B[n, k]^T + beta * C for few rows (the recurrent step of an
// LSTM, h * W_hh^T): dot products along k read straight from A and B, with no packing
// (packing B, a whole weight matrix, would cost a sixth of the product). Tiles of 2 rows
// of A by 4 rows of B keep 8 f32x4 accumulators; C's 4 columns are stored as one vector.
import { madd } from './simd';

/** The 4 lane sums of a, b, c, d as one vector [sum a, sum b, sum c, sum d]. */
// @ts-ignore: decorator
@inline function sum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(f32x4.shuffle(a, b, 0, 4, 1, 5), f32x4.shuffle(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(f32x4.shuffle(c, d, 0, 4, 1, 5), f32x4.shuffle(c, d, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(ab, cd, 0, 1, 4, 5), f32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

/** dot(x[0:k], y[0:k]) in the same order as the tiles: 4 lanes, lane sums, then the k tail. */
function dot(k: i32, x: usize, y: usize): f32 {
  let acc = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) acc = madd(v128.load(x + (<usize>p << 2)), v128.load(y + (<usize>p << 2)), acc);
  let s = f32x4.extract_lane(sum4(acc, acc, acc, acc), 0);
  for (let p = k4; p < k; p++) s += load<f32>(x + (<usize>p << 2)) * load<f32>(y + (<usize>p << 2));
  return s;
}

// @ts-ignore: decorator
@inline function finish(v: f32, alpha: f32, beta: f32, dst: usize): void {
  store<f32>(dst, beta == 0 ? alpha * v : alpha * v + beta * load<f32>(dst));
}

/** The k tail of one element, added after the vector sums (same order as dot()). */
// @ts-ignore: decorator
@inline function tail(k4: i32, k: i32, x: usize, y: usize, s: f32): f32 {
  for (let p = k4; p < k; p++) s += load<f32>(x + (<usize>p << 2)) * load<f32>(y + (<usize>p << 2));
  return s;
}

export function gemmSmallNT(m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32,
  beta: f32, c: usize, ldc: i32): void {
  const ldaB = <usize>lda << 2, ldbB = <usize>ldb << 2, ldcB = <usize>ldc << 2;
  const k4 = k & ~3;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const b0 = b + <usize>j * ldbB, b1 = b0 + ldbB, b2 = b1 + ldbB, b3 = b2 + ldbB;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = a + <usize>i * ldaB, a1 = a0 + ldaB;
      let s00 = f32x4.splat(0), s01 = s00, s02 = s00, s03 = s00;
      let s10 = s00, s11 = s00, s12 = s00, s13 = s00;
      for (let p = 0; p < k4; p += 4) {
        const o = <usize>p << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = madd(x0, y, s00); s10 = madd(x1, y, s10);
        y = v128.load(b1 + o);
        s01 = madd(x0, y, s01); s11 = madd(x1, y, s11);
        y = v128.load(b2 + o);
        s02 = madd(x0, y, s02); s12 = madd(x1, y, s12);
        y = v128.load(b3 + o);
        s03 = madd(x0, y, s03); s13 = madd(x1, y, s13);
      }
      storeRow(sum4(s00, s01, s02, s03), k4, k, a0, b0, ldbB, alpha, beta, c + <usize>i * ldcB + (<usize>j << 2));
      storeRow(sum4(s10, s11, s12, s13), k4, k, a1, b0, ldbB, alpha, beta, c + <usize>(i + 1) * ldcB + (<usize>j << 2));
    }
    for (; i < m; i++) {
      const a0 = a + <usize>i * ldaB;
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (let p = 0; p < k4; p += 4) {
        const o = <usize>p << 2;
        const x0 = v128.load(a0 + o);
        s0 = madd(x0, v128.load(b0 + o), s0); s1 = madd(x0, v128.load(b1 + o), s1);
        s2 = madd(x0, v128.load(b2 + o), s2); s3 = madd(x0, v128.load(b3 + o), s3);
      }
      storeRow(sum4(s0, s1, s2, s3), k4, k, a0, b0, ldbB, alpha, beta, c + <usize>i * ldcB + (<usize>j << 2));
    }
  }
  for (; j < n; j++) {
    for (let i = 0; i < m; i++) {
      finish(dot(k, a + <usize>i * ldaB, b + <usize>j * ldbB), alpha, beta, c + <usize>i * ldcB + (<usize>j << 2));
    }
  }
}

/** Adds the k tails to 4 sums (row x against B rows y0..y0+3) and stores alpha * s + beta * C. */
// @ts-ignore: decorator
@inline function storeRow(s: v128, k4: i32, k: i32, x: usize, y0: usize, ldbB: usize, alpha: f32, beta: f32, dst: usize): void {
  if (k4 == k) {
    let v = f32x4.mul(s, f32x4.splat(alpha));
    if (beta != 0) v = madd(v128.load(dst), f32x4.splat(beta), v);
    v128.store(dst, v);
    return;
  }
  finish(tail(k4, k, x, y0, f32x4.extract_lane(s, 0)), alpha, beta, dst);
  finish(tail(k4, k, x, y0 + ldbB, f32x4.extract_lane(s, 1)), alpha, beta, dst + 4);
  finish(tail(k4, k, x, y0 + 2 * ldbB, f32x4.extract_lane(s, 2)), alpha, beta, dst + 8);
  finish(tail(k4, k, x, y0 + 3 * ldbB, f32x4.extract_lane(s, 3)), alpha, beta, dst + 12);
}
