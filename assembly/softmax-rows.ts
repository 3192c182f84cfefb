// AssemblyScript source of the row kernels behind sayre's fused log-softmax losses
// (compiled by assembly/build.mjs into src/losses/softmax-rows.wasm.ts; not part of tsc's build).
// Rows are float32 logits in this module's memory; the caller lays memory out from heapBase()
// on and passes byte offsets. Nothing here allocates.
//
// Precision: a row's normaliser is summed in float64 from float32 exponentials (4 lanes at
// a time: a float64 exponential over every logit cost 5 ns each, most of the time of a
// large-vocabulary loss). Each term exp(x - max) is good to about 2^-22 + |x - max| * 2^-23
// relative (x - max and the range reduction are rounded to float32: 4e-6 at x - max = -80,
// where the term is below e^-80 and does not count); the log-probabilities and
// probabilities of the classes the caller gathers are float64.

// exp(x) for four float32 lanes, x <= 0 (clamped at -87): 2^k * exp(r) with |r| <= ln2/2,
// exp(r) = 1 + r + r^2 P(r) (Cephes expf). 2^k via the shifter trick. r = x - k ln2 in one
// step: its error, |k| * 2^-24 relative, stays below that of x - max itself (see above).
// @ts-ignore: decorator
@inline function expNeg4(x: v128): v128 {
  x = f32x4.pmax(x, f32x4.splat(-87.0)); // pmax: plain maxps (x is never NaN here)
  const kd = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(12582912.0));
  const k = f32x4.sub(kd, f32x4.splat(12582912.0));
  const r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(0.6931471806)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  return f32x4.mul(e, i32x4.shl(i32x4.add(kd, i32x4.splat(127)), 23));
}

// exp(x) for two float64 lanes, x <= 0, relative error < 5e-16: 2^k exp(r), |r| <= ln2/2,
// exp(r) by its degree-12 Taylor polynomial, 2^k via the shifter trick. Lanes below -708
// give about 3e-308, not less (the CTC caller sends such sequences to log space).
// @ts-ignore: decorator
@inline function expNeg2(x: v128): v128 {
  x = f64x2.pmax(x, f64x2.splat(-708.0));
  const kd = f64x2.add(f64x2.mul(x, f64x2.splat(1.4426950408889634)), f64x2.splat(6755399441055744.0));
  const k = f64x2.sub(kd, f64x2.splat(6755399441055744.0));
  let r = f64x2.sub(x, f64x2.mul(k, f64x2.splat(0.6931471803691238)));
  r = f64x2.sub(r, f64x2.mul(k, f64x2.splat(1.9082149292705877e-10)));
  let p = f64x2.splat(2.08767569878681e-9);
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
  return f64x2.mul(p, i64x2.shl(i64x2.add(kd, i64x2.splat(1023)), 52));
}

// exp(x) for one float64 x <= 0, relative error < 5e-16 (Math.exp, or 0, below -708).
function expNeg64(x: f64): f64 {
  if (x < -708.0) return x < -745.2 ? 0.0 : Math.exp(x);
  return f64x2.extract_lane(expNeg2(f64x2.splat(x)), 0);
}

/** First byte of memory free for the caller (static data lies below). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/**
 * For the row x[0 .. n): overwrites it with exp(x[j] - max) (float32) and returns the
 * normaliser's inverse 1 / sum_j exp(x[j] - max), so that softmax = x[j] * result; or
 * returns NaN (row untouched) when the row holds NaN or an infinity. First, for the classes
 * cls[k] (int32) with k < count, writes in float64 lp[k] = log-probability, y[k] = probability
 * (where lp[k] < -708, y[k] is about 3e-308 or exp(lp[k]): use lp there).
 */
export function rowSoftmaxGather(x: usize, n: i32, cls: usize, count: i32, y: usize, lp: usize): f64 {
  const n4 = n & ~3;
  let vmax = f32x4.splat(-Infinity);
  let vmin = f32x4.splat(Infinity);
  let nan = i32x4.splat(0);
  for (let j = 0; j < n4; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    vmax = f32x4.pmax(vmax, v);
    vmin = f32x4.pmin(vmin, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  let mx = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)),
    max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  let mn = min(min(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)),
    min(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
  for (let j = n4; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    mx = max(mx, v); // NaN-propagating
    mn = min(mn, v);
  }
  if (v128.any_true(nan) || !isFinite(mx) || !isFinite(mn)) return NaN;
  for (let k = 0; k < count; k++) {
    store<f64>(lp + (<usize>k << 3), <f64>load<f32>(x + (<usize>load<i32>(cls + (<usize>k << 2)) << 2)));
  }
  const vm = f32x4.splat(mx);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  // Blocks of 8 vectors summed in float32 (8 terms of at most 1 per lane: error < 2^-21
  // relative), the blocks in float64.
  const n32 = n & ~31;
  for (let j = 0; j < n32; j += 32) {
    let blk = f32x4.splat(0);
    for (let i = 0; i < 32; i += 4) {
      const off = x + (<usize>(j + i) << 2);
      const e = expNeg4(f32x4.sub(v128.load(off), vm));
      v128.store(off, e);
      blk = f32x4.add(blk, e);
    }
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(blk));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(blk, blk, 2, 3, 0, 1)));
  }
  for (let j = n32; j < n4; j += 4) {
    const off = x + (<usize>j << 2);
    const e = expNeg4(f32x4.sub(v128.load(off), vm));
    v128.store(off, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
  for (let j = n4; j < n; j++) {
    const off = x + (<usize>j << 2);
    const e = <f32>expNeg64(<f64>load<f32>(off) - <f64>mx);
    store<f32>(off, e);
    sum += <f64>e;
  }
  const lse = <f64>mx + Math.log(sum);
  const vlse = f64x2.splat(lse);
  const c2 = count & ~1;
  for (let k = 0; k < c2; k += 2) {
    const l = f64x2.sub(v128.load(lp + (<usize>k << 3)), vlse);
    v128.store(lp + (<usize>k << 3), l);
    v128.store(y + (<usize>k << 3), expNeg2(l));
  }
  for (let k = c2; k < count; k++) {
    const l = load<f64>(lp + (<usize>k << 3)) - lse;
    store<f64>(lp + (<usize>k << 3), l);
    store<f64>(y + (<usize>k << 3), expNeg64(l));
  }
  return 1.0 / sum;
}

/** out[j] = scale * x[j] for j < n (float32 rows). */
export function rowScale(x: usize, n: i32, scale: f32, out: usize): void {
  const n4 = n & ~3;
  const s = f32x4.splat(scale);
  for (let j = 0; j < n4; j += 4) {
    v128.store(out + (<usize>j << 2), f32x4.mul(v128.load(x + (<usize>j << 2)), s));
  }
  for (let j = n4; j < n; j++) store<f32>(out + (<usize>j << 2), load<f32>(x + (<usize>j << 2)) * scale);
}

/** exp(x) for x <= 0 in float64 (exported for tests). */
export function expScalar(x: f64): f64 {
  return expNeg64(x);
}

/** exp(x) for x <= 0 with the four-lane float32 routine (exported for tests). */
export function expScalar32(x: f32): f32 {
  return f32x4.extract_lane(expNeg4(f32x4.splat(x)), 0);
}

export { ctcRescaled } from './ctc-rescaled';
