/**
 * WGSL programs of the convolution layers' loops (backend/image-ops.ts): im2col and its
 * backward, max pooling forward and backward, ReLU, and batched transposes. Each is one
 * thread per element (array-wgsl.ts's prologue). Every backward is a gather (a thread
 * sums what flows into its own element, in the CPU loops' order), so no thread writes
 * another's element and no atomics are needed.
 */
import { prologue } from './array-wgsl.js';

// One sample's window (ImageOps.PatchGeometry) and where its image and columns start.
const patchParams = /* wgsl */ `
struct Params {
  C: u32, H: u32, W: u32, kh: u32, kw: u32, sh: u32, sw: u32, ph: u32,
  pw: u32, Ho: u32, Wo: u32, width: u32, offImg: u32, offCols: u32, pad0: u32, pad1: u32,
};
@group(0) @binding(0) var<uniform> p: Params;
`;

/** cols[(c*kh+i)*kw+j, oy*Wo+ox] = img[c, oy*sh-ph+i, ox*sw-pw+j], zero off the image's rows and real columns. */
export const im2colWgsl = /* wgsl */ `${patchParams}
@group(0) @binding(1) var<storage, read> img: array<f32>;
@group(0) @binding(2) var<storage, read_write> cols: array<f32>;
${prologue('p.C * p.kh * p.kw * p.Ho * p.Wo')}  let N = p.Ho * p.Wo;
  let row = idx / N;
  let col = idx - row * N;
  let j = row % p.kw;
  let i = (row / p.kw) % p.kh;
  let c = row / (p.kw * p.kh);
  let oy = col / p.Wo;
  let y = i32(oy * p.sh + i) - i32(p.ph);
  let x = i32((col - oy * p.Wo) * p.sw + j) - i32(p.pw);
  var v = 0.0;
  if (y >= 0 && y < i32(p.H) && x >= 0 && x < i32(p.width)) { v = img[p.offImg + (c * p.H + u32(y)) * p.W + u32(x)]; }
  cols[p.offCols + idx] = v;
}
`;

/** img[c, y, x] += the columns im2col copied it to (real columns only), summed over (i, j) in order. */
export const col2imWgsl = /* wgsl */ `${patchParams}
@group(0) @binding(1) var<storage, read> cols: array<f32>;
@group(0) @binding(2) var<storage, read_write> img: array<f32>;
${prologue('p.C * p.H * p.W')}  let x = idx % p.W;
  if (x >= p.width) { return; }
  let y = (idx / p.W) % p.H;
  let c = idx / (p.W * p.H);
  let N = p.Ho * p.Wo;
  var s = 0.0;
  for (var i = 0u; i < p.kh; i++) {
    let ty = i32(y + p.ph) - i32(i);
    if (ty < 0 || ty % i32(p.sh) != 0 || ty / i32(p.sh) >= i32(p.Ho)) { continue; }
    for (var j = 0u; j < p.kw; j++) {
      let tx = i32(x + p.pw) - i32(j);
      if (tx < 0 || tx % i32(p.sw) != 0 || tx / i32(p.sw) >= i32(p.Wo)) { continue; }
      s += cols[p.offCols + ((c * p.kh + i) * p.kw + j) * N + u32(ty / i32(p.sh)) * p.Wo + u32(tx / i32(p.sw))];
    }
  }
  img[p.offImg + idx] += s;
}
`;

// A batch's pooling window (ImageOps.PoolGeometry), the per-sample widths table
// (real input width, real output width), and winner(): the index into x of an output's
// window maximum over real columns (first on ties, as the CPU loop), or -1.
const poolPreamble = /* wgsl */ `
struct Params {
  B: u32, C: u32, H: u32, W: u32, kh: u32, kw: u32, sh: u32, sw: u32,
  ph: u32, pw: u32, Ho: u32, Wo: u32, offX: u32, offY: u32, offD: u32, pad0: u32,
};
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> widths: array<i32>;

fn winner(b: u32, c: u32, oy: u32, ox: u32) -> i32 {
  if (i32(ox) >= widths[2u * b + 1u]) { return -1; }
  let top = i32(oy * p.sh) - i32(p.ph);
  let left = i32(ox * p.sw) - i32(p.pw);
  let y1 = min(i32(p.H), top + i32(p.kh));
  let x1 = min(widths[2u * b], left + i32(p.kw));
  let plane = i32((b * p.C + c) * p.H * p.W);
  var best = 0.0;
  var at = -1;
  for (var yy = max(0, top); yy < y1; yy++) {
    for (var xx = max(0, left); xx < x1; xx++) {
      let i = plane + yy * i32(p.W) + xx;
      let v = x[p.offX + u32(i)];
      if (at < 0 || v > best) { best = v; at = i; }
    }
  }
  return at;
}
`;

/** y[b, c, oy, ox] = its window's maximum, 0 for padded outputs. */
export const maxPoolForwardWgsl = /* wgsl */ `${poolPreamble}
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
${prologue('p.B * p.C * p.Ho * p.Wo')}  let ox = idx % p.Wo;
  let oy = (idx / p.Wo) % p.Ho;
  let bc = idx / (p.Wo * p.Ho);
  let at = winner(bc / p.C, bc % p.C, oy, ox);
  var v = 0.0;
  if (at >= 0) { v = x[p.offX + u32(at)]; }
  y[p.offY + idx] = v;
}
`;

/** dx[b, c, yy, xx] = the sum of dy over the outputs whose window it won (in output order). */
export const maxPoolBackwardWgsl = /* wgsl */ `${poolPreamble}
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read_write> dx: array<f32>;
${prologue('p.B * p.C * p.H * p.W')}  let xx = i32(idx % p.W);
  let yy = i32((idx / p.W) % p.H);
  let bc = idx / (p.W * p.H);
  let b = bc / p.C;
  var s = 0.0;
  if (xx < widths[2u * b]) {
    // Outputs whose window covers (yy, xx): o*stride - pad <= pos < o*stride - pad + kernel.
    let loY = max(0, i32(p.ph) + yy - i32(p.kh) + i32(p.sh)) / i32(p.sh);
    let hiY = min(i32(p.Ho) - 1, (i32(p.ph) + yy) / i32(p.sh));
    let loX = max(0, i32(p.pw) + xx - i32(p.kw) + i32(p.sw)) / i32(p.sw);
    let hiX = min(i32(p.Wo) - 1, (i32(p.pw) + xx) / i32(p.sw));
    for (var oy = loY; oy <= hiY; oy++) {
      for (var ox = loX; ox <= hiX; ox++) {
        if (winner(b, bc % p.C, u32(oy), u32(ox)) == i32(idx)) { s += dy[p.offY + (bc * p.Ho + u32(oy)) * p.Wo + u32(ox)]; }
      }
    }
  }
  dx[p.offD + idx] = s;
}
`;

/** a[off + i] = max(0, a[off + i]) in place (NaN gives 0, as on the CPU). */
export const reluForwardWgsl = /* wgsl */ `
struct Params { n: u32, off: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
${prologue('p.n')}  let v = a[p.off + idx];
  a[p.off + idx] = select(0.0, v, v > 0.0);
}
`;

/** d[offD + i] = d[offD + i] where y[offY + i] > 0, else 0 (in place). */
export const reluBackwardWgsl = /* wgsl */ `
struct Params { n: u32, offY: u32, offD: u32, pad0: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> d: array<f32>;
${prologue('p.n')}  d[p.offD + idx] = select(0.0, d[p.offD + idx], y[p.offY + idx] > 0.0);
}
`;

/** dst[b, c, r] = src[b, r, c] for each of `batch` [rows, cols] matrices. */
export const transposeBatchWgsl = /* wgsl */ `
struct Params { batch: u32, rows: u32, cols: u32, offS: u32, offD: u32, pad0: u32, pad1: u32, pad2: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
${prologue('p.batch * p.rows * p.cols')}  let n = p.rows * p.cols;
  let b = idx / n;
  let r = (idx - b * n) / p.cols;
  let c = idx - b * n - r * p.cols;
  dst[p.offD + b * n + c * p.rows + r] = src[p.offS + idx];
}
`;

/** The programs of this file, compiled with the backend's kernels. */
export const imagePrograms = {
  im2col: im2colWgsl, col2im: col2imWgsl, maxPoolForward: maxPoolForwardWgsl, maxPoolBackward: maxPoolBackwardWgsl,
  reluForward: reluForwardWgsl, reluBackward: reluBackwardWgsl, transposeBatch: transposeBatchWgsl,
};
