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

/**
 * One SGD step with momentum (torch.optim.SGD: v = mu v + g, v = g on the first step;
 * p -= lr v), skipped entirely when any of the `nStats` values in `stats` (the
 * per-sequence losses and the squared gradient norm) is not finite: the decision that
 * the CPU trainer makes on the host, made on the device so the step needs no read-back.
 */
export const sgdWgsl = /* wgsl */ `
struct Params { n: u32, nStats: u32, first: u32, offStats: u32, lr: f32, mu: f32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> velocity: array<f32>;
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.y * nwg.x * 64u + gid.x;
  if (i >= p.n) { return; }
  for (var k = 0u; k < p.nStats; k++) { if (!finite(stats[p.offStats + k])) { return; } }
  let g = grad[i];
  var v = g;
  if (p.first == 0u && p.mu != 0.0) { v = p.mu * velocity[i] + g; }
  velocity[i] = v;
  params[i] -= p.lr * v;
}
`;
