/** Best-path CTC decoding: the most likely class per frame, then collapse. */
import { createSoftmaxRows, type SoftmaxRows } from '../losses/softmax-rows.js';
import { collapseWithStarts } from './collapse.js';
import type { Hypothesis } from './hypothesis.js';

let rows: SoftmaxRows | undefined;

/**
 * log-softmax of class `best` in the row logits[o .. o + C): through the SIMD row kernel
 * (Math.exp costs ~15 ns a logit); NaN where the row is not finite.
 */
function logSoftmaxAt(logits: Float32Array, o: number, C: number, best: number): number {
  rows ??= createSoftmaxRows();
  const x = rows.base;
  const cls = x + C * 4;
  const lp = (cls + 4 + 7) & ~7;
  rows.reserve(lp + 16 - x);
  rows.f32.set(logits.subarray(o, o + C), x >> 2);
  rows.i32[cls >> 2] = best;
  if (Number.isNaN(rows.rowSoftmaxGather(x, C, cls, 1, lp + 8, lp))) return NaN;
  return rows.f64[lp >> 3]!;
}

export interface CtcGreedyOptions {
  /** The blank class. Default 0. */
  blank?: number;
}

/**
 * Best-path decoding of a batch of time-major logits [T, B, C] (unnormalised; a
 * log-softmax or softmax input decodes the same). Per sequence, the arg-max class of each
 * of its first lengths[b] frames (lowest class on ties), collapsed.
 *
 * @returns per sequence, a Hypothesis: tokens, the frame where each token's run starts, and
 * score = the best path's log-probability (sum over frames of its log-softmax).
 * -Infinity logits (log-probabilities of impossible classes) are allowed.
 * @throws Error on a shape mismatch, a length outside [0, T], or a NaN or +Infinity logit
 * (naming the sequence and frame).
 */
export function ctcGreedyDecode(
  logits: Float32Array, shape: readonly [number, number, number], lengths?: ArrayLike<number>,
  options: CtcGreedyOptions = {},
): Hypothesis[] {
  const [T, B, C] = shape;
  const blank = options.blank ?? 0;
  if (![T, B, C].every((n) => Number.isInteger(n) && n >= 0) || C < 1) {
    throw new Error(`ctcGreedyDecode: shape must be [T, B, C] with C >= 1, got [${shape.join(', ')}]`);
  }
  if (logits.length !== T * B * C) {
    throw new Error(`ctcGreedyDecode: logits has ${logits.length} values, shape [${T}, ${B}, ${C}] needs ${T * B * C}`);
  }
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) throw new Error(`ctcGreedyDecode: blank ${blank} is not a class in [0, ${C})`);
  if (lengths !== undefined && lengths.length !== B) throw new Error(`ctcGreedyDecode: ${lengths.length} lengths for a batch of ${B}`);
  const out: Hypothesis[] = [];
  const path = new Int32Array(T);
  for (let b = 0; b < B; b++) {
    const n = lengths === undefined ? T : lengths[b]!;
    if (!Number.isInteger(n) || n < 0 || n > T) throw new Error(`ctcGreedyDecode: sequence ${b}: length ${n} is not in [0, ${T}]`);
    let score = 0;
    for (let t = 0; t < n; t++) {
      const o = (t * B + b) * C;
      let best = 0;
      let max = logits[o]!;
      for (let c = 1; c < C; c++) {
        const v = logits[o + c]!;
        if (v > max) {
          max = v;
          best = c;
        }
      }
      let lp = logSoftmaxAt(logits, o, C, best);
      let sum = 1;
      if (Number.isNaN(lp)) {
        // A NaN or an infinity in the row (-Infinity is allowed): the plain way, which tells them apart.
        sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c]! - max);
        lp = -Math.log(sum); // log-softmax of the arg-max: max - logsumexp
      }
      if (!Number.isFinite(max) || !Number.isFinite(sum)) {
        let c = 0;
        while (c < C - 1 && !Number.isNaN(logits[o + c]!) && logits[o + c] !== Infinity) c++;
        throw new Error(`ctcGreedyDecode: sequence ${b}: logit at frame ${t}, class ${c} is ${logits[o + c]} ` +
          '(logits must be finite or -Infinity, and not all -Infinity)');
      }
      score += lp;
      path[t] = best;
    }
    const { tokens, starts } = collapseWithStarts(path.subarray(0, n), blank);
    out.push({ tokens, timesteps: starts, score });
  }
  return out;
}
