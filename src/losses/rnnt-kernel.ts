/**
 * The RNN-T forward-backward for one sequence (Graves 2012), over the lattice of
 * (frame t, emitted labels u): from (t, u) a blank moves to (t + 1, u), the label
 * y[u] moves to (t, u + 1); the path ends with a blank at (Tb - 1, Ub).
 * Log space, float64. Pure function of its arguments, so the same code runs on the
 * main thread and in workers.
 */
import { fastExp } from '../math/exp.js';
import { logAddExp } from '../math/log-softmax.js';

/**
 * Per-thread scratch of the kernel, float64, each [Tb, Ub + 1] (row-major by t):
 * alpha, beta, log p(blank), log p(next label), and 1 / sum exp(z - max) per cell
 * (the softmax normaliser, so the gradient pass rescales the exponentials that pass 1
 * left in the gradient rows instead of exponentiating again).
 */
export class RnntWorkspace {
  alpha = new Float64Array(0);
  beta = new Float64Array(0);
  lpBlank = new Float64Array(0);
  lpLabel = new Float64Array(0);
  invSum = new Float64Array(0);

  /** Grows (never shrinks) the buffers to hold `cells` lattice cells. */
  ensure(cells: number): void {
    if (this.alpha.length >= cells) return;
    this.alpha = new Float64Array(cells);
    this.beta = new Float64Array(cells);
    this.lpBlank = new Float64Array(cells);
    this.lpLabel = new Float64Array(cells);
    this.invSum = new Float64Array(cells);
  }
}

/** Where one sequence lives in the batch and what it must emit. */
export interface RnntSequenceArgs {
  /** Padded frame count T and label positions U1 of the batch tensor, and V. */
  T: number; U1: number; V: number;
  /** Offset of the sequence's [T, U1, V] block in logits / grad. */
  offset: number;
  /** Valid frames Tb (1 <= Tb <= T). */
  frames: number;
  /** The target, labels in [0, V) other than blank; length Ub <= U1 - 1. */
  labels: ArrayLike<number>;
  blank: number;
  /** Multiplier applied to the gradient (1, or 1 / B for 'mean'). */
  gradScale: number;
  /** Give zero loss (instead of +Infinity) to a sequence with probability 0. */
  zeroInfinity: boolean;
}

/** Thrown from the kernel when a lattice row's logits are not usable. */
export class RnntLogitError extends Error {
  constructor(readonly frame: number, readonly position: number, detail: string) {
    super(`frame ${frame}, label position ${position}: ${detail}`);
  }
}

/** What is wrong with the logits row at `off` (length V): the first NaN or +Infinity, else all -Infinity. */
export function describeBadRow(logits: ArrayLike<number>, off: number, V: number): string {
  for (let k = 0; k < V; k++) {
    const z = logits[off + k]!;
    if (Number.isNaN(z)) return `logit ${k} is NaN`;
    if (z === Infinity) return `logit ${k} is +Infinity`;
  }
  return 'every logit is -Infinity';
}

/**
 * Loss -log P(y | x) of one sequence; when `grad` is given, writes
 * gradScale * d loss / d logits into the sequence's valid cells (t < Tb, u <= Ub) and
 * leaves every other cell of its block untouched (callers pass a zeroed buffer).
 * Shapes: logits, grad [B, T, U1, V] (only the block at `offset` is read/written).
 * Throws RnntLogitError for a row holding NaN or +Infinity, or only -Infinity.
 */
export function rnntSequence(
  logits: ArrayLike<number>, grad: Float32Array | null, a: RnntSequenceArgs, ws: RnntWorkspace,
): number {
  const { U1, V, offset, frames: Tb, labels, blank } = a;
  const Ub = labels.length;
  const W = Ub + 1; // lattice row width
  ws.ensure(Tb * W);
  const { alpha, beta, lpBlank, lpLabel, invSum } = ws;

  // Pass 1: per-cell log-softmax normaliser; only the two log-probs the lattice uses are
  // kept. With a gradient, exp(z - max) goes straight into the gradient row.
  for (let t = 0; t < Tb; t++) {
    for (let u = 0; u < W; u++) {
      const row = offset + (t * U1 + u) * V;
      let max = -Infinity;
      for (let k = 0; k < V; k++) {
        const z = logits[row + k]!;
        if (z > max) max = z;
      }
      let sum = 0;
      if (grad) {
        for (let k = 0; k < V; k++) {
          const e = fastExp(logits[row + k]! - max);
          grad[row + k] = e;
          sum += e;
        }
      } else {
        for (let k = 0; k < V; k++) sum += fastExp(logits[row + k]! - max);
      }
      const lse = max + Math.log(sum);
      if (!(lse > -Infinity && lse < Infinity)) throw new RnntLogitError(t, u, describeBadRow(logits, row, V));
      const c = t * W + u;
      invSum[c] = 1 / sum;
      lpBlank[c] = logits[row + blank]! - lse;
      lpLabel[c] = u < Ub ? logits[row + labels[u]!]! - lse : -Infinity;
    }
  }

  // Pass 2: alpha(t, u) = log P(reach (t, u)), alpha(0, 0) = 0.
  for (let t = 0; t < Tb; t++) {
    for (let u = 0; u < W; u++) {
      const c = t * W + u;
      if (t === 0 && u === 0) { alpha[0] = 0; continue; }
      const fromBlank = t > 0 ? alpha[c - W]! + lpBlank[c - W]! : -Infinity;
      const fromLabel = u > 0 ? alpha[c - 1]! + lpLabel[c - 1]! : -Infinity;
      alpha[c] = logAddExp(fromBlank, fromLabel);
    }
  }
  const last = (Tb - 1) * W + Ub;
  const logP = alpha[last]! + lpBlank[last]!;

  if (!(logP > -Infinity)) {
    // Probability 0 (some logits are -Infinity): +Infinity or 0, and zero gradient.
    if (grad) clearBlock(grad, a, W);
    return a.zeroInfinity ? 0 : Infinity;
  }
  if (!grad) return 0 - logP; // (0 - x, not -x: a certain path gives +0, not -0)

  // Pass 3: beta(t, u) = log P(finish | at (t, u)), fused with the gradient of cell (t, u),
  // which needs alpha(t, u), beta(t, u) and the betas of its two successors:
  //   dL/dz_k = gamma * softmax_k - [k = blank] occ_blank - [k = y_u] occ_label,
  //   gamma = exp(alpha + beta - logP) (cell occupancy), occ_* = the share leaving by that arc.
  const scale = a.gradScale;
  for (let t = Tb - 1; t >= 0; t--) {
    for (let u = Ub; u >= 0; u--) {
      const c = t * W + u;
      const al = alpha[c]!;
      const viaBlank = t === Tb - 1 ? (u === Ub ? 0 : -Infinity) : beta[c + W]!; // beta after the blank
      const viaLabel = u < Ub ? beta[c + 1]! : -Infinity; // beta after the label
      const lb = lpBlank[c]!;
      const ll = lpLabel[c]!;
      const be = logAddExp(viaBlank + lb, viaLabel + ll);
      beta[c] = be;
      const gamma = fastExp(al + be - logP);
      const row = offset + (t * U1 + u) * V;
      const s = gamma * invSum[c]! * scale;
      for (let k = 0; k < V; k++) grad[row + k] = grad[row + k]! * s;
      // The arcs' entries are recomputed in float64 so that softmax * gamma - occupancy
      // cancels exactly where the path is forced.
      grad[row + blank] = (fastExp(lb) * gamma - fastExp(al + lb + viaBlank - logP)) * scale;
      if (u < Ub) {
        const y = labels[u]!;
        grad[row + y] = (fastExp(ll) * gamma - fastExp(al + ll + viaLabel - logP)) * scale;
      }
    }
  }
  return 0 - logP;
}

function clearBlock(grad: Float32Array, a: RnntSequenceArgs, W: number): void {
  for (let t = 0; t < a.frames; t++) {
    const row = a.offset + t * a.U1 * a.V;
    grad.fill(0, row, row + W * a.V);
  }
}
