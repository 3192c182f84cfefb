/**
 * CTC by enumeration, for tiny inputs: every one of the C^T frame paths of a sequence,
 * collapsed and compared with the target. Float64 from the float32 logits, sums of path
 * probabilities kept in log space (so that e^-2000 paths still count); slow on purpose.
 */

const logAdd = (a: number, b: number): number =>
  a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
import { collapse } from '../../src/decode/collapse.js';

export interface BruteForceCtc {
  /** -log p(target | logits), +Infinity when no path collapses to the target. */
  loss: number;
  /** d loss / d logits over the sequence's first T frames, [T, C] (zero when impossible). */
  grad: Float64Array;
}

/**
 * One sequence: logits[t * stride + offset + c] for t < T, c < C.
 */
export function bruteForceCtc(
  logits: ArrayLike<number>, T: number, C: number, stride: number, offset: number,
  target: readonly number[], blank: number,
): BruteForceCtc {
  const logp = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[t * stride + offset + c]!);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(logits[t * stride + offset + c]! - max);
    for (let c = 0; c < C; c++) logp[t * C + c] = logits[t * stride + offset + c]! - max - Math.log(sum);
  }
  // logOcc[t * C + c]: log total probability of the target's paths that take c at frame t.
  const logOcc = new Float64Array(T * C).fill(-Infinity);
  let logTotal = -Infinity;
  const path = new Array<number>(T).fill(0);
  const count = C ** T;
  for (let n = 0; n < count; n++) {
    let r = n;
    for (let t = 0; t < T; t++) {
      path[t] = r % C;
      r = Math.floor(r / C);
    }
    const labels = collapse(path, blank);
    if (labels.length !== target.length || labels.some((l, i) => l !== target[i])) continue;
    let lp = 0;
    for (let t = 0; t < T; t++) lp += logp[t * C + path[t]!]!;
    logTotal = logAdd(logTotal, lp);
    for (let t = 0; t < T; t++) logOcc[t * C + path[t]!] = logAdd(logOcc[t * C + path[t]!]!, lp);
  }
  const grad = new Float64Array(T * C);
  if (logTotal === -Infinity) return { loss: Infinity, grad };
  for (let i = 0; i < T * C; i++) grad[i] = Math.exp(logp[i]!) - Math.exp(logOcc[i]! - logTotal);
  return { loss: -logTotal, grad };
}
