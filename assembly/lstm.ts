// Fused LSTM cell kernels (PyTorch gate order i, f, g, o), over hidden units [j0, j1) of
// every row so that threads can split the hidden dimension. Lanes past j1 are handled
// one at a time through the same vector code, so every element gets identical math
// whichever thread or lane position computes it.
import { vsigmoid, vtanh } from './math';

// @ts-ignore: decorator
@inline function fwdLanes(x0: v128, x1: v128, x2: v128, x3: v128, cPrev: v128,
  di: usize, df: usize, dg: usize, dO: usize, dc: usize, dh: usize): void {
  const i = vsigmoid(x0), f = vsigmoid(x1), g = vtanh(x2), o = vsigmoid(x3);
  const cv = f32x4.add(f32x4.mul(f, cPrev), f32x4.mul(i, g));
  v128.store(di, i); v128.store(df, f); v128.store(dg, g); v128.store(dO, o);
  v128.store(dc, cv); v128.store(dh, f32x4.mul(o, vtanh(cv)));
}

/** Forward for hidden units [j0, j1): see Backend.lstmCellForward. `scratch`: 96 bytes. */
export function lstmForward(rows: i32, H: i32, gates: usize, cPrev: usize, c: usize, h: usize, ldh: i32, j0: i32, j1: i32, scratch: usize): void {
  const HB = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = gates + <usize>r * (HB << 2);
    const cpRow = cPrev + <usize>r * HB, cRow = c + <usize>r * HB, hRow = h + ((<usize>r * ldh) << 2);
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const o = <usize>j << 2;
      fwdLanes(v128.load(g + o), v128.load(g + HB + o), v128.load(g + 2 * HB + o), v128.load(g + 3 * HB + o),
        v128.load(cpRow + o), g + o, g + HB + o, g + 2 * HB + o, g + 3 * HB + o, cRow + o, hRow + o);
    }
    for (; j < j1; j++) {
      // Tail through lane 0 of the same vector code.
      const o = <usize>j << 2;
      fwdLanes(f32x4.splat(load<f32>(g + o)), f32x4.splat(load<f32>(g + HB + o)),
        f32x4.splat(load<f32>(g + 2 * HB + o)), f32x4.splat(load<f32>(g + 3 * HB + o)),
        f32x4.splat(load<f32>(cpRow + o)),
        scratch, scratch + 16, scratch + 32, scratch + 48, scratch + 64, scratch + 80);
      store<f32>(g + o, load<f32>(scratch));
      store<f32>(g + HB + o, load<f32>(scratch + 16));
      store<f32>(g + 2 * HB + o, load<f32>(scratch + 32));
      store<f32>(g + 3 * HB + o, load<f32>(scratch + 48));
      store<f32>(cRow + o, load<f32>(scratch + 64));
      store<f32>(hRow + o, load<f32>(scratch + 80));
    }
  }
}

// @ts-ignore: decorator
@inline function bwdLanes(i: v128, f: v128, g: v128, o: v128, cPrev: v128, cv: v128, dh: v128, dcIn: v128, out: usize): void {
  const one = f32x4.splat(1);
  const tc = vtanh(cv);
  const dct = f32x4.add(dcIn, f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  v128.store(out, f32x4.mul(f32x4.mul(dct, g), f32x4.mul(i, f32x4.sub(one, i))));
  v128.store(out, f32x4.mul(f32x4.mul(dct, cPrev), f32x4.mul(f, f32x4.sub(one, f))), 16);
  v128.store(out, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))), 32);
  v128.store(out, f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o, f32x4.sub(one, o))), 48);
  v128.store(out, f32x4.mul(dct, f), 64);
}

/** Backward for hidden units [j0, j1): see Backend.lstmCellBackward. */
export function lstmBackward(rows: i32, H: i32, gates: usize, cPrev: usize, c: usize, dh: usize, lddh: i32, dc: usize, dGates: usize, j0: i32, j1: i32, scratch: usize): void {
  const HB = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = gates + <usize>r * (HB << 2), dg = dGates + <usize>r * (HB << 2);
    const cpRow = cPrev + <usize>r * HB, cRow = c + <usize>r * HB, dcRow = dc + <usize>r * HB;
    const dhRow = dh + ((<usize>r * lddh) << 2);
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const o = <usize>j << 2;
      bwdLanes(v128.load(g + o), v128.load(g + HB + o), v128.load(g + 2 * HB + o), v128.load(g + 3 * HB + o),
        v128.load(cpRow + o), v128.load(cRow + o), v128.load(dhRow + o), v128.load(dcRow + o), scratch);
      v128.store(dg + o, v128.load(scratch));
      v128.store(dg + HB + o, v128.load(scratch, 16));
      v128.store(dg + 2 * HB + o, v128.load(scratch, 32));
      v128.store(dg + 3 * HB + o, v128.load(scratch, 48));
      v128.store(dcRow + o, v128.load(scratch, 64));
    }
    for (; j < j1; j++) {
      const o = <usize>j << 2;
      bwdLanes(f32x4.splat(load<f32>(g + o)), f32x4.splat(load<f32>(g + HB + o)),
        f32x4.splat(load<f32>(g + 2 * HB + o)), f32x4.splat(load<f32>(g + 3 * HB + o)),
        f32x4.splat(load<f32>(cpRow + o)), f32x4.splat(load<f32>(cRow + o)),
        f32x4.splat(load<f32>(dhRow + o)), f32x4.splat(load<f32>(dcRow + o)), scratch);
      store<f32>(dg + o, load<f32>(scratch));
      store<f32>(dg + HB + o, load<f32>(scratch + 16));
      store<f32>(dg + 2 * HB + o, load<f32>(scratch + 32));
      store<f32>(dg + 3 * HB + o, load<f32>(scratch + 48));
      store<f32>(dcRow + o, load<f32>(scratch + 64));
    }
  }
}
