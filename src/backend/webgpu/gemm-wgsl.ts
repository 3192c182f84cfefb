/** Tile edge of the WGSL GEMM: a workgroup computes a TILE x TILE block of C. */
export const GEMM_TILE = 16;

/**
 * C = alpha * op(A) * op(B) + beta * C over storage buffers, with element offsets and row
 * strides as in Backend.gemm. Each workgroup stages TILE x TILE blocks of op(A) and op(B)
 * in workgroup memory, so each element of A and B is read from global memory k/TILE times
 * fewer; the transposes only change how a block is loaded. Out-of-range loads read 0, so
 * any m, n, k works.
 */
export const gemmWgsl = /* wgsl */ `
struct Params {
  m: u32, n: u32, k: u32, lda: u32,
  ldb: u32, ldc: u32, offA: u32, offB: u32,
  offC: u32, flags: u32, alpha: f32, beta: f32,
};
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const T: u32 = ${GEMM_TILE}u;
var<workgroup> ta: array<array<f32, ${GEMM_TILE}>, ${GEMM_TILE}>;
var<workgroup> tb: array<array<f32, ${GEMM_TILE}>, ${GEMM_TILE}>;

fn loadA(i: u32, q: u32) -> f32 {
  if (i >= p.m || q >= p.k) { return 0.0; }
  if ((p.flags & 1u) != 0u) { return a[p.offA + q * p.lda + i]; }
  return a[p.offA + i * p.lda + q];
}
fn loadB(q: u32, j: u32) -> f32 {
  if (q >= p.k || j >= p.n) { return 0.0; }
  if ((p.flags & 2u) != 0u) { return b[p.offB + j * p.ldb + q]; }
  return b[p.offB + q * p.ldb + j];
}

@compute @workgroup_size(${GEMM_TILE}, ${GEMM_TILE})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let row = wg.y * T + l.y;
  let col = wg.x * T + l.x;
  var sum = 0.0;
  for (var k0 = 0u; k0 < p.k; k0 += T) {
    ta[l.y][l.x] = loadA(row, k0 + l.x);
    tb[l.y][l.x] = loadB(k0 + l.y, col);
    workgroupBarrier();
    for (var q = 0u; q < T; q++) { sum += ta[l.y][q] * tb[q][l.x]; }
    workgroupBarrier();
  }
  if (row < p.m && col < p.n) {
    let idx = p.offC + row * p.ldc + col;
    // beta = 0 overwrites: NaN already in C must not propagate.
    if (p.beta == 0.0) { c[idx] = p.alpha * sum; } else { c[idx] = p.alpha * sum + p.beta * c[idx]; }
  }
}
`;
