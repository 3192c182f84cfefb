/** Threads per workgroup in the elementwise kernels. */
export const ELEMENT_THREADS = 64;

const helpers = /* wgsl */ `
fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }
// WGSL tanh may overflow to NaN for large |x| on some drivers; this form saturates.
fn tanhSafe(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }
`;

// One thread per (row, unit): idx into [rows, H], its row r, unit j, and g0 into [rows, 4H].
const cellPrologue = /* wgsl */ `
@compute @workgroup_size(${ELEMENT_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.y * nwg.x * ${ELEMENT_THREADS}u + gid.x;
  let H = p.hidden;
  if (idx >= p.rows * H) { return; }
  let r = idx / H;
  let j = idx - r * H;
  let g0 = r * 4u * H + j;
`;

/**
 * The fused LSTM cell forward of Backend.lstmCellForward: one thread per (row, unit);
 * gates [rows, 4H] in place (pre-activations in, activations out), c = f*cPrev + i*g,
 * h[row * ldh + j] = o * tanh(c); every operand at its own element offset. The grid is 2-D (x * 65535 ...) only past 65535 groups.
 */
export const lstmCellForwardWgsl = /* wgsl */ `
struct Params { rows: u32, hidden: u32, ldh: u32, offG: u32, offCp: u32, offC: u32, offH: u32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> gates: array<f32>;
@group(0) @binding(2) var<storage, read> cPrev: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> h: array<f32>;
${helpers}
${cellPrologue}  let q = p.offG + g0;
  let i = sigmoid(gates[q]);
  let f = sigmoid(gates[q + H]);
  let g = tanhSafe(gates[q + 2u * H]);
  let o = sigmoid(gates[q + 3u * H]);
  gates[q] = i;
  gates[q + H] = f;
  gates[q + 2u * H] = g;
  gates[q + 3u * H] = o;
  let cv = f * cPrev[p.offCp + idx] + i * g;
  c[p.offC + idx] = cv;
  h[p.offH + r * p.ldh + j] = o * tanhSafe(cv);
}
`;

/**
 * The fused LSTM cell backward of Backend.lstmCellBackward: one thread per (row, unit);
 * gates hold the activations, dh [rows, lddh], dc in (from t+1) and out (to t-1), dGates out.
 */
export const lstmCellBackwardWgsl = /* wgsl */ `
struct Params {
  rows: u32, hidden: u32, lddh: u32, offG: u32,
  offCp: u32, offC: u32, offDh: u32, offDc: u32,
  offDg: u32, pad0: u32, pad1: u32, pad2: u32,
};
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> gates: array<f32>;
@group(0) @binding(2) var<storage, read> cPrev: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;
@group(0) @binding(4) var<storage, read> dh: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;
@group(0) @binding(6) var<storage, read_write> dGates: array<f32>;
${helpers}
${cellPrologue}  let q = p.offG + g0;
  let i = gates[q];
  let f = gates[q + H];
  let g = gates[q + 2u * H];
  let o = gates[q + 3u * H];
  let tc = tanhSafe(c[p.offC + idx]);
  let dhv = dh[p.offDh + r * p.lddh + j];
  let dct = dc[p.offDc + idx] + dhv * o * (1.0 - tc * tc);
  let d = p.offDg + g0;
  dGates[d] = dct * g * i * (1.0 - i);
  dGates[d + H] = dct * cPrev[p.offCp + idx] * f * (1.0 - f);
  dGates[d + 2u * H] = dct * i * (1.0 - g * g);
  dGates[d + 3u * H] = dhv * tc * o * (1.0 - o);
  dc[p.offDc + idx] = dct * f;
}
`;
