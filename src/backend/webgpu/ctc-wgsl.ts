/** Threads per CTC workgroup (one workgroup per sequence). */
export const CTC_THREADS = 256;
/** Most extended-label states S = 2L + 1 a sequence may have (workgroup memory holds three rows). */
export const CTC_MAX_STATES = 1024;

/**
 * What both CTC programs (this one and ctc-log-wgsl.ts) declare: their parameters, the eight
 * bindings (`input` names the per-frame inputs: probabilities here, log-probabilities
 * there), the workgroup width and the workgroup rows.
 */
export function ctcPreamble(input: string): string {
  return `
// infBits, nanBits: +Infinity and NaN come in as bits (a constant one is a WGSL compile error).
struct Params { T: u32, B: u32, C: u32, blank: u32, zeroInf: u32, infBits: u32, nanBits: u32, pad: u32 };
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ${input}: array<f32>;
@group(0) @binding(2) var<storage, read> seqs: array<i32>;
@group(0) @binding(3) var<storage, read> targets: array<i32>;
@group(0) @binding(4) var<storage, read> scales: array<f32>;
@group(0) @binding(5) var<storage, read_write> alpha: array<f32>;
@group(0) @binding(6) var<storage, read_write> grad: array<f32>;
@group(0) @binding(7) var<storage, read_write> losses: array<f32>;

const W: u32 = ${CTC_THREADS}u;
var<workgroup> red: array<f32, ${CTC_THREADS}>;
var<workgroup> bCur: array<f32, ${CTC_MAX_STATES}>;
var<workgroup> bNext: array<f32, ${CTC_MAX_STATES}>;
var<workgroup> gam: array<f32, ${CTC_MAX_STATES}>;
`;
}

/**
 * The CTC forward-backward of one sequence per workgroup, rescaled per frame as Graves
 * does (and as losses/ctc-lattice.ts on the CPU): each frame's alpha row is divided by
 * its sum c_t (log P = sum log c_t + log of the last two states), beta rows likewise by
 * d_t. The threads of the workgroup walk the states of a frame together, with barriers
 * between frames. Occupancies are normalised per frame, gamma_t(s) = alpha_t(s) beta_t(s)
 * / sum_s alpha_t beta_t, so the gradient d loss / d logit = scale * (y - occupancy) needs
 * no scale factors. Check, as on the CPU: each frame's total, with the scale factors put
 * back, must equal the forward total; where a state underflowed it does not, and the loss
 * is NaN, for ctc-log-wgsl.ts to redo the sequence in log space, as the CPU does.
 *
 * Bindings: y [T*B, C] softmax probabilities (rows t*B + b); seqs per sequence (start of
 * its targets, L, frames, alpha offset, impossible); targets; per-sequence gradient scale;
 * alpha scratch (frames x (S + 1): S states and the running log scale); grad [T, B, C]
 * (every element written); losses [B] (-log P; +Infinity or 0 under zeroInfinity where
 * the labels cannot fit, NaN where the check failed).
 */
export const ctcWgsl = /* wgsl */ `
${ctcPreamble('y')}
fn wsum(tid: u32, v: f32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var k = W / 2u; k > 0u; k >>= 1u) {
    if (tid < k) { red[tid] += red[tid + k]; }
    workgroupBarrier();
  }
  let total = workgroupUniformLoad(&red[0]);
  workgroupBarrier(); // nobody overwrites red[0] before everyone has read it
  return total;
}

fn label(start: u32, s: u32) -> u32 {
  if ((s & 1u) == 0u) { return p.blank; }
  return u32(targets[start + (s - 1u) / 2u]);
}

// The transition s-2 -> s: s is a label unlike the one before it.
fn skip(start: u32, s: u32) -> bool {
  return (s & 1u) == 1u && s >= 3u && label(start, s) != label(start, s - 2u);
}

fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

@compute @workgroup_size(${CTC_THREADS})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) tid: u32) {
  let b = wg.x;
  let start = u32(seqs[b * 5u]);
  let L = u32(seqs[b * 5u + 1u]);
  let len = u32(seqs[b * 5u + 2u]);
  let aoff = u32(seqs[b * 5u + 3u]);
  let impossible = seqs[b * 5u + 4u] != 0;
  let S = 2u * L + 1u;
  let R = S + 1u;
  let C = p.C;
  let B = p.B;
  let scale = scales[b];
  for (var i = tid; i < (p.T - len) * C; i += W) { grad[((len + i / C) * B + b) * C + i % C] = 0.0; }
  if (impossible || len == 0u) {
    if (tid == 0u) {
      if (p.zeroInf != 0u || !impossible) { losses[b] = 0.0; } else { losses[b] = bitcast<f32>(p.infBits); }
    }
    for (var i = tid; i < len * C; i += W) { grad[((i / C) * B + b) * C + i % C] = 0.0; }
    return;
  }
  // Forward: alpha rows in global memory (the backward pass reads them all).
  var logC = 0.0;
  var ok = true;
  for (var t = 0u; t < len; t++) {
    let row = aoff + t * R;
    let yrow = (t * B + b) * C;
    var part = 0.0;
    for (var s = tid; s < S; s += W) {
      var a = 0.0;
      if (t == 0u) {
        if (s <= 1u) { a = 1.0; }
      } else {
        let prev = row - R;
        a = alpha[prev + s];
        if (s >= 1u) { a += alpha[prev + s - 1u]; }
        if (skip(start, s)) { a += alpha[prev + s - 2u]; }
      }
      a *= y[yrow + label(start, s)];
      alpha[row + s] = a;
      part += a;
    }
    let ct = wsum(tid, part);
    if (!(ct > 0.0) || !finite(ct)) { ok = false; }
    let inv = select(0.0, 1.0 / ct, ct > 0.0);
    for (var s = tid; s < S; s += W) { alpha[row + s] *= inv; }
    logC += log(max(ct, 1e-38));
    if (tid == 0u) { alpha[row + S] = logC; }
    storageBarrier();
  }
  let last = aoff + (len - 1u) * R;
  var endP = alpha[last + S - 1u];
  if (S > 1u) { endP += alpha[last + S - 2u]; }
  if (!(endP > 0.0)) { ok = false; }
  let logP = logC + log(max(endP, 1e-38));
  // Backward: bNext holds y_{t+1} beta_{t+1} of the frame above, rescaled.
  var logD = 0.0;
  for (var tt = 0u; tt < len; tt++) {
    let t = len - 1u - tt;
    let row = aoff + t * R;
    let yrow = (t * B + b) * C;
    var part = 0.0;
    for (var s = tid; s < S; s += W) {
      var v = 0.0;
      if (tt == 0u) {
        if (s + 2u >= S) { v = 1.0; }
      } else {
        v = bNext[s];
        if (s + 1u < S) { v += bNext[s + 1u]; }
        if (s + 2u < S && skip(start, s + 2u)) { v += bNext[s + 2u]; }
      }
      bCur[s] = v;
      let g = alpha[row + s] * v;
      gam[s] = g;
      part += g;
    }
    let z = wsum(tid, part);
    let logPt = log(max(z, 1e-38)) + alpha[row + S] + logD;
    if (!(z > 0.0) || !(abs(logPt - logP) <= 1e-3 * (1.0 + abs(logP)))) { ok = false; }
    let invZ = select(0.0, 1.0 / z, z > 0.0);
    for (var c = tid; c < C; c += W) {
      var occ = 0.0;
      if (c == p.blank) {
        for (var l = 0u; l <= L; l++) { occ += gam[2u * l]; }
      } else {
        for (var l = 0u; l < L; l++) { if (u32(targets[start + l]) == c) { occ += gam[2u * l + 1u]; } }
      }
      grad[yrow + c] = scale * (y[yrow + c] - occ * invZ);
    }
    var part2 = 0.0;
    for (var s = tid; s < S; s += W) {
      let w = bCur[s] * y[yrow + label(start, s)];
      bCur[s] = w;
      part2 += w;
    }
    let d = wsum(tid, part2);
    let invD = select(0.0, 1.0 / d, d > 0.0);
    for (var s = tid; s < S; s += W) { bNext[s] = bCur[s] * invD; }
    logD += log(max(d, 1e-38));
    workgroupBarrier();
  }
  if (tid == 0u) {
    if (ok) { losses[b] = -logP; } else { losses[b] = bitcast<f32>(p.nanBits); }
  }
}
`;
