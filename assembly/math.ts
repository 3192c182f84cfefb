// Vectorised exp, sigmoid and tanh for f32x4 (Cephes-style range reduction and
// polynomials: about 2 ulp, far inside the 1e-4 the layers need).
import { madd } from './simd';

// @ts-ignore: decorator
@inline function poly(x: v128, c0: f32, c1: f32): v128 {
  return madd(x, f32x4.splat(c0), f32x4.splat(c1));
}

/** e^x per lane; x is clamped to [-87.3, 88.3] so 2^n stays a normal float. */
// @ts-ignore: decorator
@inline export function vexp(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.3)), f32x4.splat(88.3));
  // n = round(x / ln 2); r = x - n ln 2 in two parts for accuracy.
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = madd(n, f32x4.splat(-0.693359375), x);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  let y = poly(r, 1.9875691500e-4, 1.3981999507e-3);
  y = madd(y, r, f32x4.splat(8.3334519073e-3));
  y = madd(y, r, f32x4.splat(4.1665795894e-2));
  y = madd(y, r, f32x4.splat(1.6666665459e-1));
  y = madd(y, r, f32x4.splat(5.0000001201e-1));
  y = madd(y, f32x4.mul(r, r), f32x4.add(r, f32x4.splat(1)));
  // 2^n by building the exponent bits.
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, e);
}

/** 1 / (1 + e^-x) per lane. */
// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

/** tanh per lane: an odd polynomial below |x| = 0.625, 1 - 2 / (e^2|x| + 1) above. */
// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const one = f32x4.splat(1);
  const ax = f32x4.abs(x);
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(vexp(f32x4.add(ax, ax)), one)));
  const bigSigned = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const s = f32x4.mul(x, x);
  let p = poly(s, -5.70498872745e-3, 2.06390887954e-2);
  p = madd(p, s, f32x4.splat(-5.37397155531e-2));
  p = madd(p, s, f32x4.splat(1.33314422036e-1));
  p = madd(p, s, f32x4.splat(-3.33332819422e-1));
  const small = madd(f32x4.mul(p, s), x, x);
  return v128.bitselect(bigSigned, small, f32x4.gt(ax, f32x4.splat(0.625)));
}
