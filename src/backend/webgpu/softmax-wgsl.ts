/** Threads per workgroup in the row kernels: one workgroup per row. */
export const ROW_THREADS = 64;

/**
 * softmax (flags bit 0 clear) or log-softmax (bit 0 set) of each row of `src` into `dst`,
 * with offsets and row strides. One workgroup per row: a tree reduction for the row's max,
 * another for the sum of exp(x - max). Rows beyond 65535 go to the y dimension of the grid.
 */
export const softmaxWgsl = /* wgsl */ `
struct Params { rows: u32, n: u32, ldSrc: u32, ldDst: u32, offSrc: u32, offDst: u32, flags: u32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

const W: u32 = ${ROW_THREADS}u;
var<workgroup> red: array<f32, ${ROW_THREADS}>;

@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let r = wg.y * 65535u + wg.x;
  if (r >= p.rows) { return; } // uniform per workgroup, so the barriers below stay uniform
  let s0 = p.offSrc + r * p.ldSrc;
  let d0 = p.offDst + r * p.ldDst;
  var mx = -3.4028234e38;
  for (var j = t; j < p.n; j += W) { mx = max(mx, src[s0 + j]); }
  red[t] = mx;
  workgroupBarrier();
  for (var s = W / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] = max(red[t], red[t + s]); }
    workgroupBarrier();
  }
  let rowMax = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = t; j < p.n; j += W) { sum += exp(src[s0 + j] - rowMax); }
  red[t] = sum;
  workgroupBarrier();
  for (var s = W / 2u; s > 0u; s >>= 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  let lse = rowMax + log(total);
  for (var j = t; j < p.n; j += W) {
    let x = src[s0 + j];
    if ((p.flags & 1u) != 0u) { dst[d0 + j] = x - lse; } else { dst[d0 + j] = exp(x - rowMax) / total; }
  }
}
`;
