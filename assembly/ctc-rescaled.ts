// The CTC forward-backward over one sequence, rescaled per frame (Graves), float64: the fast
// path of src/losses/ctc-lattice.ts (which documents the lattice and keeps the log-space
// path this one hands over to). All arguments are byte offsets into this module's memory:
//   kOf  [S + 2] i32: class slot of each state (slot 0 the blank, on even states)
//   skip [S + 2] f64: 1 where s-2 -> s is allowed; skip[S] = 1 (the virtual end), skip[S+1] = 0
//   y    [T, K]  f64: class-slot probabilities per frame
//   A    [T, S + 4] f64, cumA [T] f64, g [S + 4] f64: workspace
//   occ  [T, K]  f64 out: posterior occupancy of each class slot per frame (rows sum to 1)
// Returns log p(labels | x), or NaN where the rescaled sums cannot be trusted (a frame
// underflowed, or the per-frame totals disagree with the forward total by more than 1e-9).

// @ts-ignore: decorator
@inline function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

export function ctcRescaled(T: i32, S: i32, K: i32, kOf: usize, skip: usize, y: usize, A: usize, cumA: usize, g: usize, occ: usize): f64 {
  const W = S + 4;
  // Frame -1: all mass on state 0 (g serves as that row), so frame 0 follows the recursion.
  memory.fill(g, 0, <usize>W << 3);
  setF64(g, 2, 1.0);
  let prev = g;
  let inv: f64 = 1.0;
  let logScale: f64 = 0.0;
  for (let t = 0; t < T; t++) {
    const lo = max(0, S - 2 * (T - t));
    const hi = min(S, 2 * t + 2);
    const row = A + (<usize>(t * W + 2) << 3);
    const p = prev + (2 << 3);
    const yr = y + (<usize>(t * K) << 3);
    const yBlank = load<f64>(yr) * inv;
    let c: f64 = 0.0;
    let am2 = f64At(p, lo - 2);
    let am1 = f64At(p, lo - 1);
    for (let s = lo; s < hi; s++) {
      const a0 = f64At(p, s);
      let v: f64;
      if ((s & 1) == 0) v = (a0 + am1) * yBlank;
      else v = (a0 + am1 + f64At(skip, s) * am2) * inv * f64At(yr, load<i32>(kOf + (<usize>s << 2)));
      setF64(row, s, v);
      c += v;
      am2 = am1;
      am1 = a0;
    }
    setF64(row, lo - 2, 0.0);
    setF64(row, lo - 1, 0.0);
    setF64(row, hi, 0.0);
    setF64(row, hi + 1, 0.0);
    if (!(c > 0.0 && c < Infinity)) return NaN;
    setF64(cumA, t, logScale);
    logScale += Math.log(c);
    inv = 1.0 / c;
    prev = A + (<usize>(t * W) << 3);
  }
  const last = A + (<usize>((T - 1) * W + 2) << 3);
  const end = f64At(last, S - 1) + (S > 1 ? f64At(last, S - 2) : 0.0);
  if (!(end > 0.0)) return NaN;
  const logP = Math.log(end) + f64At(cumA, T - 1);

  // Beta without frame t's own emission, lazily rescaled; g(s) = y_t(s) B_t(s) in place.
  memory.fill(g, 0, <usize>W << 3);
  setF64(g, 2 + S, 1.0);
  let cumB: f64 = 0.0;
  let invD: f64 = 1.0;
  const tolerance = 1e-9 * max(1.0, -logP);
  for (let t = T - 1; t >= 0; t--) {
    const lo = max(0, S - 2 * (T - t));
    const hi = min(S, 2 * t + 2);
    const row = A + (<usize>(t * W + 2) << 3);
    const yr = y + (<usize>(t * K) << 3);
    const o = occ + (<usize>(t * K) << 3);
    memory.fill(o, 0, <usize>K << 3);
    const yBlank = load<f64>(yr);
    let d: f64 = 0.0;
    let z: f64 = 0.0;
    let blankOcc: f64 = 0.0;
    let g1 = f64At(g, 2 + lo);
    let g2 = f64At(g, 3 + lo);
    for (let s = lo; s < hi; s++) {
      const g0 = g1;
      g1 = g2;
      g2 = f64At(g, 4 + s);
      const v = (g0 + g1 + f64At(skip, s + 2) * g2) * invD;
      const ab = f64At(row, s) * v;
      d += v;
      z += ab;
      if ((s & 1) == 0) {
        blankOcc += ab;
        setF64(g, 2 + s, yBlank * v);
      } else {
        const k = load<i32>(kOf + (<usize>s << 2));
        setF64(o, k, f64At(o, k) + ab);
        setF64(g, 2 + s, f64At(yr, k) * v);
      }
    }
    setF64(o, 0, blankOcc);
    setF64(g, lo, 0.0);
    setF64(g, lo + 1, 0.0);
    setF64(g, 2 + hi, 0.0);
    setF64(g, 3 + hi, 0.0);
    if (!(z > 0.0 && d < Infinity) || Math.abs(Math.log(z) + f64At(cumA, t) + cumB - logP) > tolerance) return NaN;
    const invZ = 1.0 / z;
    for (let k = 0; k < K; k++) setF64(o, k, f64At(o, k) * invZ);
    cumB += Math.log(d);
    invD = 1.0 / d;
  }
  return logP;
}
