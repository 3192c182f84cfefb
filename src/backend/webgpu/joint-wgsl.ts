import { ELEMENT_THREADS } from './lstm-cell-wgsl.js';

/** WGSL: (b, t, u) of row b * T * U1 + t * U1 + u of a [B, T, U1, ...] tensor (the joint's and the RNN-T loss's layout). */
export const latticeCellWgsl = /* wgsl */ `
fn latticeCell(row: u32, T: u32, U1: u32) -> vec3u {
  let bt = row / U1;
  return vec3u(bt / T, bt % T, row % U1);
}
`;

// The joint's sizes, the batch's frames and label positions (a target's length + 1), and
// the one-thread-per-element index over a 2-D grid (x * 65535 groups past 65535).
const preamble = (bindings: string): string => /* wgsl */ `
struct Params { B: u32, T: u32, U1: u32, J: u32, offA: u32, offB: u32, offOut: u32, offOut2: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> frames: array<i32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
${bindings}
// WGSL tanh may overflow to NaN for large |x| on some drivers; this form saturates.
fn tanhSafe(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
fn live(b: u32, t: u32, u: u32) -> bool { return t < u32(frames[b]) && u < u32(labels[b]); }
${latticeCellWgsl}
@compute @workgroup_size(${ELEMENT_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.y * nwg.x * ${ELEMENT_THREADS}u + gid.x;
`;

/**
 * hidden [B, T, U1, J] = tanh(encP [T, B, J] + predP [B, U1, J]) at live (t, u), zero
 * elsewhere: one thread per element. offA: encP, offB: predP, offOut: hidden.
 */
export const jointHiddenWgsl = /* wgsl */ `${preamble(`
@group(0) @binding(3) var<storage, read> encP: array<f32>;
@group(0) @binding(4) var<storage, read> predP: array<f32>;
@group(0) @binding(5) var<storage, read_write> hidden: array<f32>;`)}
  if (idx >= p.B * p.T * p.U1 * p.J) { return; }
  let j = idx % p.J;
  let c = latticeCell(idx / p.J, p.T, p.U1);
  let b = c.x;
  let t = c.y;
  let u = c.z;
  var v = 0.0;
  if (live(b, t, u)) { v = tanhSafe(encP[p.offA + (t * p.B + b) * p.J + j] + predP[p.offB + (b * p.U1 + u) * p.J + j]); }
  hidden[p.offOut + idx] = v;
}
`;

/**
 * The joint's tanh backward reduced onto its two terms, g = dHidden * (1 - hidden^2):
 * threads [0, T*B*J) write dEncP[t, b, j] = sum over u of g, threads [T*B*J, T*B*J +
 * B*U1*J) write dPredP[b, u, j] = sum over t of g (one dispatch, no atomics: each thread
 * owns its output). offA: hidden, offB: dHidden, offOut: dEncP, offOut2: dPredP.
 */
export const jointBackwardWgsl = /* wgsl */ `${preamble(`
@group(0) @binding(3) var<storage, read> hidden: array<f32>;
@group(0) @binding(4) var<storage, read> dHidden: array<f32>;
@group(0) @binding(5) var<storage, read_write> dEncP: array<f32>;
@group(0) @binding(6) var<storage, read_write> dPredP: array<f32>;`)}
  let nEnc = p.T * p.B * p.J;
  if (idx >= nEnc + p.B * p.U1 * p.J) { return; }
  // the g elements this thread sums: n of them from element e0, stride apart
  var e0 = 0u;
  var stride = 0u;
  var n = 0u;
  if (idx < nEnc) {
    let j = idx % p.J;
    let tb = idx / p.J;
    let b = tb % p.B;
    let t = tb / p.B;
    if (t < u32(frames[b])) { e0 = (b * p.T + t) * p.U1 * p.J + j; stride = p.J; n = u32(labels[b]); }
  } else {
    let k = idx - nEnc;
    let j = k % p.J;
    let bu = k / p.J;
    let u = bu % p.U1;
    let b = bu / p.U1;
    if (u < u32(labels[b])) { e0 = (b * p.T * p.U1 + u) * p.J + j; stride = p.U1 * p.J; n = u32(frames[b]); }
  }
  var s = 0.0;
  for (var i = 0u; i < n; i++) {
    let h = hidden[p.offA + e0 + i * stride];
    s += dHidden[p.offB + e0 + i * stride] * (1.0 - h * h);
  }
  if (idx < nEnc) { dEncP[p.offOut + idx] = s; } else { dPredP[p.offOut2 + idx - nEnc] = s; }
}
`;
