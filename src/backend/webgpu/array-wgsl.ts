import { ELEMENT_THREADS } from './lstm-cell-wgsl.js';

// One thread per element of a 2-D grid (x * 65535 groups past 65535): idx, then the kernel body.
export const prologue = (n: string): string => /* wgsl */ `
@compute @workgroup_size(${ELEMENT_THREADS})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.y * nwg.x * ${ELEMENT_THREADS}u + gid.x;
  if (idx >= ${n}) { return; }
`;

/** a[off + i] = value for i < n. */
export const fillWgsl = /* wgsl */ `
struct Params { n: u32, off: u32, value: f32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
${prologue('p.n')}  a[p.off + idx] = p.value;
}
`;

/** A [rows, cols] block copy with row strides (lds = 0 broadcasts src's first row). */
export const copyRowsWgsl = /* wgsl */ `
struct Params { rows: u32, cols: u32, lds: u32, ldd: u32, offS: u32, offD: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
${prologue('p.rows * p.cols')}  let r = idx / p.cols;
  let j = idx - r * p.cols;
  dst[p.offD + r * p.ldd + j] = src[p.offS + r * p.lds + j];
}
`;

/** y[offY + i] += alpha * x[offX + i] for i < n. */
export const axpyWgsl = /* wgsl */ `
struct Params { n: u32, offX: u32, offY: u32, alpha: f32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${prologue('p.n')}  y[p.offY + idx] += p.alpha * x[p.offX + idx];
}
`;

/** dst row i = src row index[i] (cols wide), zeros where index[i] < 0. */
export const gatherRowsWgsl = /* wgsl */ `
struct Params { rows: u32, cols: u32, offS: u32, offD: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> index: array<i32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;
${prologue('p.rows * p.cols')}  let i = idx / p.cols;
  let j = idx - i * p.cols;
  let s = index[i];
  var v = 0.0;
  if (s >= 0) { v = src[p.offS + u32(s) * p.cols + j]; }
  dst[p.offD + i * p.cols + j] = v;
}
`;
