/**
 * The rest of a training step on the device, after the gradient and its squared norm:
 * clipping, the optimiser updates (SGD, Adam) and Graves's weight noise. Each is one thread per parameter, indexed over a 2-D grid of 64-thread groups
 * (i = y * groupsX * 64 + x) so that more than 65535 * 64 parameters fit.
 */

/** WGSL shared by the programs: the flat index and the finiteness test. */
const common = /* wgsl */ `
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn flat(gid: vec3u, nwg: vec3u) -> u32 { return gid.y * nwg.x * 64u + gid.x; }
`;

/**
 * An optimiser update: uniform block `fields` (n, nStats and offStats among them), grad,
 * stats, params and the state tensors bound in that order, and `body` per parameter i
 * with g = grad[i] + wd * params[i] (weight decay as torch's). The whole update is
 * skipped when any of the nStats values of `stats` (the per-sequence losses and the
 * squared gradient norm) is not finite: the decision the CPU trainer makes on the host,
 * made on the device so the step needs no read-back.
 */
const update = (fields: string, state: readonly string[], body: string): string => /* wgsl */ `
struct Params { ${fields} };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
${state.map((name, k) => `@group(0) @binding(${4 + k}) var<storage, read_write> ${name}: array<f32>;`).join('\n')}
${common}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat(gid, nwg);
  if (i >= p.n) { return; }
  for (var k = 0u; k < p.nStats; k++) { if (!finite(stats[p.offStats + k])) { return; } }
  let g = grad[i] + p.wd * params[i];
  ${body}
}
`;

/**
 * One SGD step as torch.optim.SGD (v = mu v + g, v = g on the first step; p -= lr v, or
 * p -= lr (g + mu v) with Nesterov; with mu = 0 simply p -= lr g).
 */
export const sgdWgsl = update('n: u32, nStats: u32, first: u32, offStats: u32, lr: f32, mu: f32, wd: f32, nesterov: u32', ['velocity'], `
  if (p.mu == 0.0) { params[i] -= p.lr * g; return; }
  var v = g;
  if (p.first == 0u) { v = p.mu * velocity[i] + g; }
  velocity[i] = v;
  if (p.nesterov != 0u) { params[i] -= p.lr * (g + p.mu * v); } else { params[i] -= p.lr * v; }`);

/**
 * torch's clip_grad_norm_ on the device: grad *= maxNorm / (norm + 1e-6) where the norm
 * (the square root of sq[offNorm], from sumSquares) is finite and above maxNorm. A
 * non-finite norm leaves the gradient as it is (the update is skipped anyway).
 */
export const clipWgsl = /* wgsl */ `
struct Params { n: u32, offNorm: u32, maxNorm: f32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> sq: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
${common}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat(gid, nwg);
  if (i >= p.n) { return; }
  let norm = sqrt(sq[p.offNorm]);
  if (finite(norm) && norm > p.maxNorm) { grad[i] *= p.maxNorm / (norm + 1e-6); }
}
`;

/**
 * One Adam step (torch.optim.Adam: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= stepSize m / (sqrt(v) / c2 + eps), with stepSize = lr / (1 - b1^t) and
 * c2 = sqrt(1 - b2^t) computed on the host).
 */
export const adamWgsl = update('n: u32, nStats: u32, offStats: u32, pad0: u32, stepSize: f32, b1: f32, b2: f32, eps: f32, wd: f32, c2: f32, pad1: u32, pad2: u32', ['m', 'v'], `
  let mi = p.b1 * m[i] + (1.0 - p.b1) * g;
  let vi = p.b2 * v[i] + (1.0 - p.b2) * g * g;
  m[i] = mi;
  v[i] = vi;
  params[i] -= (p.stepSize * mi) / (sqrt(vi) / p.c2 + p.eps);`);

/**
 * x[off + i] += sigma * z_i with z_i standard normal: Box-Muller over two uniforms from a
 * PCG hash of (i, seed), a counter-based stream, so that the noise of a step is a
 * function of its two seeds (drawn from the trainer's random stream) and nothing else.
 */
export const weightNoiseWgsl = /* wgsl */ `
struct Params { n: u32, off: u32, seedA: u32, seedB: u32, sigma: f32, pad0: u32, pad1: u32, pad2: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${common}
fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}
fn unit(h: u32) -> f32 { return (f32(h >> 8u) + 0.5) * (1.0 / 16777216.0); }
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat(gid, nwg);
  if (i >= p.n) { return; }
  let h1 = pcg(pcg(i ^ p.seedA) + p.seedB);
  let h2 = pcg(h1 ^ 0x9e3779b9u);
  let z = sqrt(-2.0 * log(unit(h1))) * cos(6.283185307179586 * unit(h2));
  x[p.off + i] += p.sigma * z;
}
`;
