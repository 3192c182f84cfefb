/**
 * Slow RNN-T references for tests: the loss and its gradient by enumerating every
 * alignment of one sequence (exact on tiny inputs; the number of alignments is
 * C(Tb - 1 + U, U)).
 */
import { logSoftmaxRow } from '../../src/math/log-softmax.js';

/** One arc of an alignment: at lattice cell (t, u) the label k was emitted. */
interface Arc { t: number; u: number; k: number }

/** Every alignment of `labels` over `frames` frames: at each frame some labels, then a blank. */
export function* alignments(frames: number, labels: ArrayLike<number>, blank: number): Generator<Arc[]> {
  const U = labels.length;
  function* go(t: number, u: number, path: Arc[]): Generator<Arc[]> {
    if (t === frames) { if (u === U) yield path; return; }
    // emit the next label at this frame, or close the frame with a blank
    if (u < U) yield* go(t, u + 1, [...path, { t, u, k: labels[u]! }]);
    yield* go(t + 1, u, [...path, { t, u, k: blank }]);
  }
  yield* go(0, 0, []);
}

/**
 * Loss and gradient (d loss / d logits for this one sequence, over its [T, U1, V] block)
 * by summing over all alignments in plain float64 probabilities.
 */
export function bruteForceRnnt(
  logits: ArrayLike<number>, offset: number, T: number, U1: number, V: number,
  frames: number, labels: ArrayLike<number>, blank: number,
): { loss: number; grad: Float64Array } {
  const lp = new Float64Array(T * U1 * V);
  for (let r = 0; r < T * U1; r++) logSoftmaxRow(logits, offset + r * V, V, lp, r * V);
  const paths: { p: number; arcs: Arc[] }[] = [];
  let total = 0;
  for (const arcs of alignments(frames, labels, blank)) {
    let logp = 0;
    for (const a of arcs) logp += lp[(a.t * U1 + a.u) * V + a.k]!;
    const p = Math.exp(logp);
    paths.push({ p, arcs });
    total += p;
  }
  // d(-log P)/dz at cell c = sum over paths of (p / P) * sum over its arcs at c of (softmax - onehot(k))
  const grad = new Float64Array(T * U1 * V);
  for (const { p, arcs } of paths) {
    const w = p / total;
    for (const a of arcs) {
      const row = (a.t * U1 + a.u) * V;
      for (let k = 0; k < V; k++) grad[row + k]! += w * Math.exp(lp[row + k]!);
      grad[row + a.k]! -= w;
    }
  }
  return { loss: -Math.log(total), grad };
}
