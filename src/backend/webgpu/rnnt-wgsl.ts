import { latticeCellWgsl } from './joint-wgsl.js';

/** Threads per RNN-T lattice workgroup (one workgroup per sequence, threads over label positions). */
export const RNNT_THREADS = 128;

// Log space without infinities (WGSL lets an implementation assume none): NEG stands for
// log 0 outside the lattice, and anything below NEG / 2 counts as log 0. A log-probability
// of a long path is large (1000 nats and more at the start of training) and float32 keeps
// it to about 6e-5, which the gradient's exp(alpha + beta - log P) would turn into relative
// errors of 1e-4 and more; so alpha and beta are double-floats (hi + lo, float32 each,
// error-free sums) and only the small per-step terms are rounded.
const logSpace = /* wgsl */ `
const NEG: f32 = -1e30;
struct DF { hi: f32, lo: f32 };
// s + e = a + b exactly (Knuth's two-sum).
fn twoSum(a: f32, b: f32) -> DF {
  let s = a + b;
  let bb = s - a;
  return DF(s, (a - (s - bb)) + (b - bb));
}
// x + d, renormalised.
fn dfAdd(x: DF, d: f32) -> DF {
  let s = twoSum(x.hi, d);
  return twoSum(s.hi, s.lo + x.lo);
}
// log(exp(a) + exp(b)): the larger plus log(1 + exp(-|a - b|)).
fn lae(a: DF, b: DF) -> DF {
  if (max(a.hi, b.hi) < 0.5 * NEG) { return DF(NEG, 0.0); }
  let d = (a.hi - b.hi) + (a.lo - b.lo);
  if (d >= 0.0) { return dfAdd(a, log(1.0 + exp(-d))); }
  return dfAdd(b, log(1.0 + exp(d)));
}
// a + b - c for values near each other (a cell's alpha + beta against log P), as one float.
fn dfSum3(a: DF, b: DF, c: DF) -> f32 {
  let s = twoSum(a.hi, b.hi);
  return (s.hi - c.hi) + (s.lo + a.lo + b.lo - c.lo);
}
`;

// The bindings both programs share: log-softmax rows [B*T*U1, V]; per sequence its frames,
// target length, first target and lattice offset; the targets; the lattices (alpha hi and
// lo, beta hi and lo: 4 x frames x (target length + 1) floats a sequence, at its offset);
// the losses [B]. Lattice cell (t, u) of part k (0..3) is lat[off + k * cells + t * Wd + u].
const bindings = (extra: string): string => /* wgsl */ `
struct Params { T: u32, U1: u32, V: u32, blank: u32, B: u32, nanBits: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logp: array<f32>;
@group(0) @binding(2) var<storage, read> seqs: array<i32>;
@group(0) @binding(3) var<storage, read> targets: array<i32>;
${extra}
${logSpace}
${latticeCellWgsl}
// Sequence b's frames Tb, target length Ub, first target, lattice offset, and the lattice's
// row width Wd = Ub + 1 and cells per part.
struct Seq { Tb: u32, Ub: u32, start: u32, off: u32, Wd: u32, cells: u32 };
fn seqOf(b: u32) -> Seq {
  let Tb = u32(seqs[b * 4u]);
  let Ub = u32(seqs[b * 4u + 1u]);
  return Seq(Tb, Ub, u32(seqs[b * 4u + 2u]), u32(seqs[b * 4u + 3u]), Ub + 1u, Tb * (Ub + 1u));
}
fn lpAt(b: u32, t: u32, u: u32, k: u32) -> f32 { return logp[((b * p.T + t) * p.U1 + u) * p.V + k]; }
fn lpLabel(b: u32, t: u32, u: u32, start: u32) -> f32 { return lpAt(b, t, u, u32(targets[start + u])); }
// Part k's cell (t, u) of the lattice at off with cells cells a part and rows of Wd.
fn cell(off: u32, cells: u32, k: u32, t: u32, Wd: u32, u: u32) -> u32 { return off + k * cells + t * Wd + u; }
fn getDF(off: u32, cells: u32, k: u32, t: u32, Wd: u32, u: u32) -> DF {
  let i = cell(off, cells, k, t, Wd, u);
  return DF(lat[i], lat[i + cells]);
}
// log P of sequence b: alpha at the last cell plus the final blank.
fn logPOf(b: u32, off: u32, cells: u32, Tb: u32, Wd: u32, Ub: u32) -> DF {
  return dfAdd(getDF(off, cells, 0u, Tb - 1u, Wd, Ub), lpAt(b, Tb - 1u, Ub, p.blank));
}
// beta after the blank leaving (t, u): beta(t + 1, u), or the end (log 1) past the last frame at Ub.
fn viaBlank(off: u32, cells: u32, t: u32, Tb: u32, Wd: u32, u: u32, Ub: u32) -> DF {
  if (t + 1u == Tb) {
    if (u == Ub) { return DF(0.0, 0.0); }
    return DF(NEG, 0.0);
  }
  return getDF(off, cells, 2u, t + 1u, Wd, u);
}
`;

/**
 * The RNN-T forward-backward (Graves 2012) of one sequence per workgroup, in double-float
 * log space, as losses/rnnt-kernel.ts does in float64: alpha(t, u) from (0, 0), beta(t, u)
 * to the final blank at (Tb - 1, Ub). Cell (t, u) depends on (t - 1, u) and (t, u - 1),
 * so the threads walk the lattice by anti-diagonals n = t + u, each thread taking the label
 * positions u = tid, tid + W, ... of the diagonal, with a storage barrier between diagonals.
 * losses[b] = -log P from alpha; where beta(0, 0) does not give the same log P, NaN, so
 * that a training step skips its update.
 */
export const rnntLatticeWgsl = /* wgsl */ `${bindings(`
@group(0) @binding(4) var<storage, read_write> lat: array<f32>;
@group(0) @binding(5) var<storage, read_write> losses: array<f32>;`)}
const W: u32 = ${RNNT_THREADS}u;

fn setDF(off: u32, cells: u32, k: u32, t: u32, Wd: u32, u: u32, v: DF) {
  let i = cell(off, cells, k, t, Wd, u);
  lat[i] = v.hi;
  lat[i + cells] = v.lo;
}

@compute @workgroup_size(${RNNT_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let b = wg.x;
  let q = seqOf(b);
  let diagonals = q.Tb + q.Ub;
  for (var n = 0u; n < diagonals; n++) {
    for (var u = tid; u <= min(n, q.Ub); u += W) {
      let t = n - u;
      if (t < q.Tb) {
        var a = DF(0.0, 0.0);
        if (n > 0u) {
          var fromBlank = DF(NEG, 0.0);
          if (t > 0u) { fromBlank = dfAdd(getDF(q.off, q.cells, 0u, t - 1u, q.Wd, u), lpAt(b, t - 1u, u, p.blank)); }
          var fromLabel = DF(NEG, 0.0);
          if (u > 0u) { fromLabel = dfAdd(getDF(q.off, q.cells, 0u, t, q.Wd, u - 1u), lpLabel(b, t, u - 1u, q.start)); }
          a = lae(fromBlank, fromLabel);
        }
        setDF(q.off, q.cells, 0u, t, q.Wd, u, a);
      }
    }
    storageBarrier();
  }
  for (var nn = 0u; nn < diagonals; nn++) {
    let n = diagonals - 1u - nn;
    for (var u = tid; u <= min(n, q.Ub); u += W) {
      let t = n - u;
      if (t < q.Tb) {
        let byBlank = dfAdd(viaBlank(q.off, q.cells, t, q.Tb, q.Wd, u, q.Ub), lpAt(b, t, u, p.blank));
        var byLabel = DF(NEG, 0.0);
        if (u < q.Ub) { byLabel = dfAdd(getDF(q.off, q.cells, 2u, t, q.Wd, u + 1u), lpLabel(b, t, u, q.start)); }
        setDF(q.off, q.cells, 2u, t, q.Wd, u, lae(byBlank, byLabel));
      }
    }
    storageBarrier();
  }
  if (tid == 0u) {
    let logP = logPOf(b, q.off, q.cells, q.Tb, q.Wd, q.Ub);
    let back = getDF(q.off, q.cells, 2u, 0u, q.Wd, 0u);
    let lp = logP.hi + logP.lo;
    if (abs((back.hi - logP.hi) + (back.lo - logP.lo)) <= 1e-5 * (1.0 + abs(lp))) { losses[b] = -lp; } else { losses[b] = bitcast<f32>(p.nanBits); }
  }
}
`;

/**
 * The RNN-T gradient d loss / d logits [B, T, U1, V] (the log-softmax fused in), one thread
 * per element, from the lattices of rnntLatticeWgsl, as rnnt-kernel.ts: scale * (softmax *
 * gamma - the occupancy leaving (t, u) by the blank or by the next label), gamma =
 * exp(alpha + beta - log P); zero outside each sequence's lattice, NaN where its loss is.
 */
export const rnntGradWgsl = /* wgsl */ `${bindings(`
@group(0) @binding(4) var<storage, read> lat: array<f32>;
@group(0) @binding(5) var<storage, read> losses: array<f32>;
@group(0) @binding(6) var<storage, read> scales: array<f32>;
@group(0) @binding(7) var<storage, read_write> grad: array<f32>;`)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let idx = gid.y * nwg.x * 64u + gid.x;
  if (idx >= p.B * p.T * p.U1 * p.V) { return; }
  let v = idx % p.V;
  let c = latticeCell(idx / p.V, p.T, p.U1);
  let b = c.x;
  let t = c.y;
  let u = c.z;
  let q = seqOf(b);
  if (t >= q.Tb || u > q.Ub) { grad[idx] = 0.0; return; }
  let logP = logPOf(b, q.off, q.cells, q.Tb, q.Wd, q.Ub);
  let al = getDF(q.off, q.cells, 0u, t, q.Wd, u);
  let lp = logp[idx];
  var g = exp(lp + dfSum3(al, getDF(q.off, q.cells, 2u, t, q.Wd, u), logP));
  if (v == p.blank) {
    g -= exp(lp + dfSum3(al, viaBlank(q.off, q.cells, t, q.Tb, q.Wd, u, q.Ub), logP));
  } else if (u < q.Ub && v == u32(targets[q.start + u])) {
    g -= exp(lp + dfSum3(al, getDF(q.off, q.cells, 2u, t, q.Wd, u + 1u), logP));
  }
  // a failed check (losses[b] NaN) carries into the gradient: 0 * NaN is NaN
  grad[idx] = scales[b] * g + 0.0 * losses[b];
}
`;
