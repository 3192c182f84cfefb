/** Threads of the one-workgroup reduction. */
export const REDUCE_THREADS = 256;

/**
 * out[offOut] = sum of x[offX + i]^2 for i < n: one workgroup, each thread a strided
 * partial sum, then a tree. The squared L2 norm of a gradient, left on the device.
 */
export const sumSquaresWgsl = /* wgsl */ `
struct Params { n: u32, offX: u32, offOut: u32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
const W: u32 = ${REDUCE_THREADS}u;
var<workgroup> red: array<f32, ${REDUCE_THREADS}>;
@compute @workgroup_size(${REDUCE_THREADS})
fn main(@builtin(local_invocation_index) tid: u32) {
  var s = 0.0;
  for (var i = tid; i < p.n; i += W) { let v = x[p.offX + i]; s += v * v; }
  red[tid] = s;
  workgroupBarrier();
  for (var k = W / 2u; k > 0u; k >>= 1u) {
    if (tid < k) { red[tid] += red[tid + k]; }
    workgroupBarrier();
  }
  if (tid == 0u) { out[p.offOut] = red[0]; }
}
`;
