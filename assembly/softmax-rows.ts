// AssemblyScript source of the row kernels behind sayre's fused log-softmax losses
// (compiled by assembly/build.mjs into src/losses/softmax-rows.wasm.ts; not part of tsc's build).
// Every row is C float32 logits in this module's memory; sums and exponentials are float64.
// No allocation happens here: the caller lays out memory and passes byte offsets.

// exp(x) for two float64 lanes with x <= 0 (x >= -708 after clamping), relative error < 2e-16:
// 2^k * exp(r), k = round(x / ln 2), |r| <= ln 2 / 2, exp(r) by its degree-12 Taylor polynomial.
// NaN lanes stay NaN (f64x2.max propagates NaN), which the callers use to detect bad input.
// @ts-ignore: decorator
@inline function expNeg(x: v128): v128 {
  x = f64x2.max(x, f64x2.splat(-708.0));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(1.4426950408889634)));
  let r = f64x2.sub(x, f64x2.mul(k, f64x2.splat(0.6931471803691238)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(1.9082149292705877e-10)));
  let p = f64x2.splat(2.08767569878681e-9); // 1/12!
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.505210838544172e-8));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.755731922398589e-7));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.7557319223985893e-6));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(2.48015873015873e-5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.984126984126984e-4));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.3888888888888889e-3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(8.333333333333333e-3));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(4.1666666666666664e-2));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.16666666666666666));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^k built in the exponent bits; k is in [-1022, 0] here.
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  return f64x2.mul(p, scale);
}

/** exp(x) for one float64 x <= 0. */
export function expScalar(x: f64): f64 {
  return f64x2.extract_lane(expNeg(f64x2.splat(x)), 0);
}

/**
 * log-sum-exp of the row x[0 .. n) (float32 at byte offset x). Returns NaN when the row
 * holds NaN or an infinity, so the caller can report where.
 */
export function rowLogSumExp(x: usize, n: i32): f64 {
  const n4 = n & ~3;
  let vmax = f32x4.splat(-Infinity);
  let vmin = f32x4.splat(Infinity);
  for (let j = 0; j < n4; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    vmax = f32x4.max(vmax, v); // NaN-propagating
    vmin = f32x4.min(vmin, v);
  }
  let mx = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)),
    max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  let mn = min(min(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)),
    min(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
  for (let j = n4; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    mx = max(mx, v);
    mn = min(mn, v);
  }
  if (!isFinite(mx) || !isFinite(mn)) return NaN;
  const m = <f64>mx;
  const vm = f64x2.splat(m);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  for (let j = 0; j < n4; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    s0 = f64x2.add(s0, expNeg(f64x2.sub(f64x2.promote_low_f32x4(v), vm)));
    s1 = f64x2.add(s1, expNeg(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), vm)));
  }
  const s = f64x2.add(s0, s1);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (let j = n4; j < n; j++) sum += expScalar(<f64>load<f32>(x + (<usize>j << 2)) - m);
  return m + Math.log(sum);
}

/** out[j] = scale * exp(x[j] - lse) for j < n, float32 out (out may equal x). */
export function rowSoftmaxScaled(x: usize, n: i32, lse: f64, scale: f64, out: usize): void {
  const n4 = n & ~3;
  const vl = f64x2.splat(lse);
  const vs = f64x2.splat(scale);
  for (let j = 0; j < n4; j += 4) {
    const off = <usize>j << 2;
    const v = v128.load(x + off);
    const lo = f64x2.mul(expNeg(f64x2.sub(f64x2.promote_low_f32x4(v), vl)), vs);
    const hi = f64x2.mul(expNeg(f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), vl)), vs);
    const l4 = f32x4.demote_f64x2_zero(lo);
    const h4 = f32x4.demote_f64x2_zero(hi);
    v128.store(out + off, i32x4.shuffle(l4, h4, 0, 1, 4, 5));
  }
  for (let j = n4; j < n; j++) {
    const off = <usize>j << 2;
    store<f32>(out + off, <f32>(scale * expScalar(<f64>load<f32>(x + off) - lse)));
  }
}

/**
 * For the k < count classes cls[k] (int32 at byte offset cls): y[k] = exp(x[cls[k]] - lse),
 * float64 at byte offset y.
 */
export function gatherExp(x: usize, cls: usize, count: i32, lse: f64, y: usize): void {
  for (let k = 0; k < count; k++) {
    const c = load<i32>(cls + (<usize>k << 2));
    store<f64>(y + (<usize>k << 3), expScalar(<f64>load<f32>(x + (<usize>c << 2)) - lse));
  }
}

/** First byte of memory free for the caller (static data, such as Math.log's tables, lies below). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
