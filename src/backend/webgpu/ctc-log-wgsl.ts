import { CTC_THREADS, ctcPreamble } from './ctc-wgsl.js';

/**
 * The log-space redo of ctc-wgsl.ts, as the CPU has (losses/ctc-lattice.ts ctcLogSpace):
 * run after it, it recomputes only the sequences whose loss came back NaN (the rescaled
 * float32 recursion underflowed), in log space, which cannot underflow: alpha and beta
 * combine with log-add-exp on log-softmax inputs, and occupancies are exp(alpha + beta -
 * log Z_t) with Z_t each frame's own total. Same bindings, with y holding log-probabilities.
 */
export const ctcLogWgsl = /* wgsl */ `
${ctcPreamble('ly')}
const NEG: f32 = -3.0e38; // log 0: far below any real log-probability, and finite

fn lae(a: f32, b: f32) -> f32 {
  let m = max(a, b);
  if (m <= NEG) { return NEG; }
  return m + log(exp(a - m) + exp(b - m));
}

// log of the sum of exp(v) over the workgroup: a max, then a sum, both tree reductions.
fn wlse(tid: u32, v: f32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var k = W / 2u; k > 0u; k >>= 1u) {
    if (tid < k) { red[tid] = max(red[tid], red[tid + k]); }
    workgroupBarrier();
  }
  let m = workgroupUniformLoad(&red[0]);
  workgroupBarrier();
  var e = 0.0;
  if (m > NEG) { e = exp(v - m); }
  red[tid] = e;
  workgroupBarrier();
  for (var k = W / 2u; k > 0u; k >>= 1u) {
    if (tid < k) { red[tid] += red[tid + k]; }
    workgroupBarrier();
  }
  let s = workgroupUniformLoad(&red[0]);
  workgroupBarrier();
  if (m <= NEG) { return NEG; }
  return m + log(s);
}

fn label(start: u32, s: u32) -> u32 {
  if ((s & 1u) == 0u) { return p.blank; }
  return u32(targets[start + (s - 1u) / 2u]);
}

fn skip(start: u32, s: u32) -> bool {
  return (s & 1u) == 1u && s >= 3u && label(start, s) != label(start, s - 2u);
}

fn isNan(x: f32) -> bool {
  let u = bitcast<u32>(x);
  return (u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu) != 0u;
}

@compute @workgroup_size(${CTC_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let b = wg.x;
  if (tid == 0u) { red[0] = losses[b]; }
  let first = workgroupUniformLoad(&red[0]); // the rescaled pass's loss, uniform over the workgroup
  if (!isNan(first)) { return; }
  workgroupBarrier();
  let start = u32(seqs[b * 5u]);
  let L = u32(seqs[b * 5u + 1u]);
  let len = u32(seqs[b * 5u + 2u]);
  let aoff = u32(seqs[b * 5u + 3u]);
  let S = 2u * L + 1u;
  let R = S + 1u;
  let C = p.C;
  let B = p.B;
  let scale = scales[b];
  for (var t = 0u; t < len; t++) {
    let row = aoff + t * R;
    let yrow = (t * B + b) * C;
    for (var s = tid; s < S; s += W) {
      var a = NEG;
      if (t == 0u) {
        if (s <= 1u) { a = 0.0; }
      } else {
        let prev = row - R;
        a = alpha[prev + s];
        if (s >= 1u) { a = lae(a, alpha[prev + s - 1u]); }
        if (skip(start, s)) { a = lae(a, alpha[prev + s - 2u]); }
      }
      if (a > NEG) { a += ly[yrow + label(start, s)]; }
      alpha[row + s] = a;
    }
    storageBarrier();
  }
  let last = aoff + (len - 1u) * R;
  var endP = alpha[last + S - 1u];
  if (S > 1u) { endP = lae(endP, alpha[last + S - 2u]); }
  let logP = endP;
  var ok = logP > NEG;
  for (var tt = 0u; tt < len; tt++) {
    let t = len - 1u - tt;
    let row = aoff + t * R;
    let yrow = (t * B + b) * C;
    var mine = NEG;
    for (var s = tid; s < S; s += W) {
      var v = NEG;
      if (tt == 0u) {
        if (s + 2u >= S) { v = 0.0; }
      } else {
        v = bNext[s];
        if (s + 1u < S) { v = lae(v, bNext[s + 1u]); }
        if (s + 2u < S && skip(start, s + 2u)) { v = lae(v, bNext[s + 2u]); }
      }
      bCur[s] = v;
      var g = NEG;
      if (v > NEG && alpha[row + s] > NEG) { g = alpha[row + s] + v; }
      gam[s] = g;
      mine = lae(mine, g);
    }
    let logZ = wlse(tid, mine);
    if (!(abs(logZ - logP) <= 1e-3 * (1.0 + abs(logP)))) { ok = false; }
    for (var c = tid; c < C; c += W) {
      var occ = 0.0;
      if (c == p.blank) {
        for (var l = 0u; l <= L; l++) { if (gam[2u * l] > NEG) { occ += exp(gam[2u * l] - logZ); } }
      } else {
        for (var l = 0u; l < L; l++) {
          if (u32(targets[start + l]) == c && gam[2u * l + 1u] > NEG) { occ += exp(gam[2u * l + 1u] - logZ); }
        }
      }
      grad[yrow + c] = scale * (exp(ly[yrow + c]) - occ);
    }
    for (var s = tid; s < S; s += W) {
      var w = NEG;
      if (bCur[s] > NEG) { w = bCur[s] + ly[yrow + label(start, s)]; }
      bNext[s] = w;
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    if (ok) { losses[b] = -logP; } else { losses[b] = bitcast<f32>(p.nanBits); }
  }
}
`;
