/**
 * The CTC forward-backward over one sequence's extended label sequence (blank, l1, blank,
 * l2, ..., blank; S = 2L + 1 states), in float64: log p(labels | x) and, frame by frame,
 * the posterior occupancy of each class (from which the caller writes d loss / d logits).
 *
 * The fast path rescales each frame (Graves): alpha and beta rows are divided by their
 * sums, so the recursions need only multiplies and adds. A state far below its frame's
 * best can underflow to zero, which would silently drop probability mass, so the path
 * checks itself: the total probability read off at every frame (sum_s alpha*beta times
 * the scale factors) must agree with the forward total. When it does not, or a frame
 * underflows entirely, the sequence is redone in log space, which cannot underflow.
 *
 * Only states that are reachable from the start by frame t (s < 2t + 2) and can still
 * reach the end (s >= S - 2(T - t)) are visited.
 */
import { logAddExp } from '../math/log-softmax.js';

/** One sequence's lattice, prepared by the caller. */
export interface CtcLattice {
  /** Frames (the sequence's input length, >= 1) and extended states S = 2L + 1. */
  T: number;
  S: number;
  /** Distinct classes the lattice uses (blank first): K of them. */
  K: number;
  /** kOf[s]: the class slot (index into the K classes) of state s. */
  kOf: Int32Array;
  /**
   * skip[s] = 1 where the transition s-2 -> s is allowed (s is a label unlike the one
   * before), else 0; length at least S + 2, with skip[S] = 1 (the virtual end state that
   * beta starts from is reached from S-2 and S-1) and skip[S + 1] = 0.
   */
  skip: Float64Array;
  /** y[t * K + k]: the probability of class slot k at frame t (float64). */
  y: Float64Array;
  yOff: number;
  /** logProb(t, k): log of that probability, for the log-space path. */
  logProb(t: number, k: number): number;
}

/** Receives, per frame (in decreasing t), the posterior occupancy of each class slot. */
export type FrameSink = (t: number, occupancy: Float64Array, total: number) => void;

/** Reusable per-thread buffers. */
export class LatticeBuffers {
  alpha = new Float64Array(0);
  cur = new Float64Array(0);
  next = new Float64Array(0);
  cumA = new Float64Array(0);
  occ = new Float64Array(0);

  reserve(T: number, S: number, K: number): void {
    const W = S + 4;
    if (this.alpha.length < T * W) this.alpha = new Float64Array(Math.max(T * W, this.alpha.length * 2));
    if (this.cur.length < W) {
      this.cur = new Float64Array(W * 2);
      this.next = new Float64Array(W * 2);
    }
    if (this.cumA.length < T) this.cumA = new Float64Array(Math.max(T, this.cumA.length * 2));
    if (this.occ.length < K) this.occ = new Float64Array(K * 2);
  }
}

/** How often the log-space path ran after the rescaled one could not be trusted (this thread; for tests). */
export const latticeStats = { logSpaceFallbacks: 0 };

/** The agreement the rescaled path must reach between per-frame totals, in nats. */
const CONSISTENCY = 1e-9;

const lowState = (S: number, T: number, t: number): number => Math.max(0, S - 2 * (T - t));
const highState = (S: number, t: number): number => Math.min(S, 2 * t + 2);

/**
 * log p(labels | x) of one sequence; when `sink` is given, also the posterior occupancies
 * of every frame. Rescaled when that is exact (checked with the backward pass, which
 * therefore runs even for a loss alone), else log space.
 * The caller has checked that the labels fit in T frames.
 */
export function ctcForwardBackward(lat: CtcLattice, buf: LatticeBuffers, sink?: FrameSink, logSpaceOnly = false): number {
  buf.reserve(lat.T, lat.S, lat.K);
  if (!logSpaceOnly) {
    const logP = rescaled(lat, buf, sink);
    if (!Number.isNaN(logP)) return logP;
    latticeStats.logSpaceFallbacks++;
  }
  return logSpace(lat, buf, sink);
}

/** The rescaled path; NaN where it cannot be trusted. Rows have two zero pads each side: state s at row + 2 + s. */
function rescaled(lat: CtcLattice, buf: LatticeBuffers, sink?: FrameSink): number {
  const { T, S, K, kOf, skip, y, yOff } = lat;
  const W = S + 4;
  const A = buf.alpha;
  const cumA = buf.cumA; // sum of log frame sums before t: alpha_t = A_t * exp(cumA[t])
  // Frame -1: all mass on state 0, so that frame 0 follows the general recursion.
  const init = buf.cur;
  init.fill(0, 0, W);
  init[2] = 1;
  let prev = init;
  let prevOff = 0;
  let logScale = 0;
  let inv = 1;
  for (let t = 0; t < T; t++) {
    const lo = lowState(S, T, t);
    const hi = highState(S, t);
    const row = t * W + 2;
    const p = prevOff + 2;
    const yr = yOff + t * K;
    let c = 0;
    let am2 = prev[p + lo - 2]!; // alpha_{t-1}(s - 2), (s - 1): a sliding window over the row above
    let am1 = prev[p + lo - 1]!;
    const yBlank = y[yr]! * inv; // even states are the blank (slot 0), which never skips
    for (let s = lo; s < hi; s++) {
      const a0 = prev[p + s]!;
      const v = (s & 1) === 0 ? (a0 + am1) * yBlank : (a0 + am1 + skip[s]! * am2) * inv * y[yr + kOf[s]!]!;
      A[row + s] = v;
      c += v;
      am2 = am1;
      am1 = a0;
    }
    A[row + lo - 2] = 0;
    A[row + lo - 1] = 0;
    A[row + hi] = 0;
    A[row + hi + 1] = 0;
    if (!(c > 0 && c < Infinity)) return NaN;
    cumA[t] = logScale;
    logScale += Math.log(c);
    inv = 1 / c;
    prev = A;
    prevOff = t * W;
  }
  const last = (T - 1) * W + 2;
  const end = A[last + S - 1]! + (S > 1 ? A[last + S - 2]! : 0);
  if (!(end > 0)) return NaN;
  const logP = Math.log(end) + cumA[T - 1]!;
  // Beta runs even without a sink: its per-frame totals are what vouch for logP.

  // Beta excludes frame t's own emission: beta_t(s) = sum over successors s' of
  // y_{t+1}(s') beta_{t+1}(s'). Stored lazily rescaled like alpha: B_t = rec(g_{t+1}) / d_{t+1}
  // with d_t = sum_s B_t(s), so beta_t = B_t * exp(cumB), cumB = sum of log d_tau for tau > t.
  // g holds y_t(s) B_t(s) and is overwritten in place (state s reads only s, s+1, s+2).
  // Frame T-1 starts from a virtual end state S (g[S] = 1, skip[S] = 1) reached from S-1 and S-2.
  const g = buf.cur;
  g.fill(0, 0, W);
  g[2 + S] = 1;
  const occ = buf.occ;
  let cumB = 0;
  let invD = 1;
  for (let t = T - 1; t >= 0; t--) {
    const lo = lowState(S, T, t);
    const hi = highState(S, t);
    const row = t * W + 2;
    const yr = yOff + t * K;
    occ.fill(0, 0, K);
    const yBlank = y[yr]!;
    let d = 0;
    let z = 0;
    let blankOcc = 0;
    let g1 = g[2 + lo]!; // g(s), g(s + 1): a sliding window, as g(s) is overwritten below
    let g2 = g[3 + lo]!;
    for (let s = lo; s < hi; s++) {
      const g0 = g1;
      g1 = g2;
      g2 = g[4 + s]!;
      const v = (g0 + g1 + skip[s + 2]! * g2) * invD;
      const ab = A[row + s]! * v;
      d += v;
      z += ab;
      // Even states are the blank (slot 0): summed apart, without a store per state.
      if ((s & 1) === 0) {
        blankOcc += ab;
        g[2 + s] = yBlank * v;
      } else {
        const k = kOf[s]!;
        occ[k] += ab;
        g[2 + s] = y[yr + k]! * v;
      }
    }
    occ[0] = blankOcc;
    // The frame below reads g at states [lo - 2, hi + 2): clear what lies outside [lo, hi).
    g[lo] = 0;
    g[lo + 1] = 0;
    g[2 + hi] = 0;
    g[3 + hi] = 0;
    if (!(z > 0 && d < Infinity) || Math.abs(Math.log(z) + cumA[t]! + cumB - logP) > CONSISTENCY * Math.max(1, -logP)) return NaN;
    if (sink) sink(t, occ, z);
    cumB += Math.log(d);
    invD = 1 / d;
  }
  return logP;
}

/** The log-space path: same lattice, log probabilities, logAddExp. Exact wherever the labels fit. */
function logSpace(lat: CtcLattice, buf: LatticeBuffers, sink?: FrameSink): number {
  const { T, S, K, kOf, skip } = lat;
  const W = S + 4;
  const A = buf.alpha;
  A.fill(-Infinity, 0, T * W);
  for (let t = 0; t < T; t++) {
    const lo = lowState(S, T, t);
    const hi = highState(S, t);
    const row = t * W + 2;
    const p = row - W;
    for (let s = lo; s < hi; s++) {
      let v: number;
      if (t === 0) v = s <= 1 ? 0 : -Infinity;
      else {
        v = logAddExp(A[p + s]!, A[p + s - 1]!);
        if (skip[s]! !== 0) v = logAddExp(v, A[p + s - 2]!);
      }
      A[row + s] = v + lat.logProb(t, kOf[s]!);
    }
  }
  const last = (T - 1) * W + 2;
  const logP = S > 1 ? logAddExp(A[last + S - 1]!, A[last + S - 2]!) : A[last + S - 1]!;
  if (!sink) return logP;

  let g = buf.next; // log(y_{t+1} beta_{t+1}) of the frame above
  let bt = buf.cur;
  g.fill(-Infinity, 0, W);
  bt.fill(-Infinity, 0, W);
  const occ = buf.occ;
  for (let t = T - 1; t >= 0; t--) {
    const lo = lowState(S, T, t);
    const hi = highState(S, t);
    bt.fill(-Infinity, 0, W);
    for (let s = lo; s < hi; s++) {
      let v: number;
      if (t === T - 1) v = s >= S - 2 ? 0 : -Infinity;
      else {
        v = logAddExp(g[2 + s]!, g[3 + s]!);
        if (skip[s + 2]! !== 0) v = logAddExp(v, g[4 + s]!);
      }
      bt[2 + s] = v;
    }
    occ.fill(0, 0, K);
    const row = t * W + 2;
    for (let s = lo; s < hi; s++) {
      occ[kOf[s]!] += Math.exp(A[row + s]! + bt[2 + s]! - logP);
      bt[2 + s] = bt[2 + s]! + lat.logProb(t, kOf[s]!);
    }
    sink(t, occ, 1);
    const swap = g;
    g = bt;
    bt = swap;
  }
  return logP;
}
