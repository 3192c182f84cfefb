/**
 * The CTC forward-backward over one sequence's extended label sequence (blank, l1, blank,
 * l2, ..., blank; S = 2L + 1 states), in float64: log p(labels | x) and, per frame, the
 * posterior occupancy of each class (from which the caller writes d loss / d logits).
 *
 * The fast path (assembly/ctc-rescaled.ts, WebAssembly) rescales each frame (Graves):
 * alpha and beta rows are divided by their sums, so the recursions need only multiplies
 * and adds. A state far below its frame's best can underflow to zero, which would silently
 * drop probability mass, so that path checks itself: the total probability read off at
 * every frame (sum_s alpha*beta times the scale factors) must agree with the forward total.
 * When it does not, or a frame underflows entirely, the sequence is redone here in log
 * space, which cannot underflow (and which runs alone where WebAssembly is unavailable).
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
  /** logProb(t, k): the log-probability of class slot k at frame t. */
  logProb(t: number, k: number): number;
}

/** Reusable per-thread buffers. */
export class LatticeBuffers {
  alpha = new Float64Array(0);
  cur = new Float64Array(0);
  next = new Float64Array(0);

  reserve(T: number, S: number): void {
    const W = S + 4;
    if (this.alpha.length < T * W) this.alpha = new Float64Array(Math.max(T * W, this.alpha.length * 2));
    if (this.cur.length < W) {
      this.cur = new Float64Array(W * 2);
      this.next = new Float64Array(W * 2);
    }
  }
}

/** How often the log-space path ran after the rescaled one could not be trusted (this thread; for tests). */
export const latticeStats = { logSpaceFallbacks: 0 };

const lowState = (S: number, T: number, t: number): number => Math.max(0, S - 2 * (T - t));
const highState = (S: number, t: number): number => Math.min(S, 2 * t + 2);

/**
 * log p(labels | x) in log space (logAddExp), exact wherever the labels fit (the caller has
 * checked that they do). With `occ`, also writes occ[occOff + t * K + k], the posterior
 * occupancy of class slot k at frame t.
 */
export function ctcLogSpace(lat: CtcLattice, buf: LatticeBuffers, occ?: Float64Array, occOff = 0): number {
  buf.reserve(lat.T, lat.S);
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
  if (!occ) return logP;

  let g = buf.next; // log(y_{t+1} beta_{t+1}) of the frame above
  let bt = buf.cur;
  g.fill(-Infinity, 0, W);
  bt.fill(-Infinity, 0, W);
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
    const o = occOff + t * K;
    occ.fill(0, o, o + K);
    const row = t * W + 2;
    for (let s = lo; s < hi; s++) {
      occ[o + kOf[s]!]! += Math.exp(A[row + s]! + bt[2 + s]! - logP);
      bt[2 + s] = bt[2 + s]! + lat.logProb(t, kOf[s]!);
    }
    const swap = g;
    g = bt;
    bt = swap;
  }
  return logP;
}
