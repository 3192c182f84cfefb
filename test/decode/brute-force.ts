import { logAddExp, logSoftmaxRow } from '../../src/math/log-softmax.js';
import { rng } from '../helpers/compare.js';

/** ln P_ctc of every labelling, summing over all C^T paths (tiny inputs only). */
export function labellingLogProbs(logProbs: Float64Array, T: number, C: number, blank: number): Map<string, { labels: number[]; logProb: number }> {
  const out = new Map<string, { labels: number[]; logProb: number }>();
  const path = new Array<number>(T).fill(0);
  const total = C ** T;
  for (let p = 0; p < total; p++) {
    let x = p;
    let lp = 0;
    for (let t = 0; t < T; t++) {
      path[t] = x % C;
      x = Math.floor(x / C);
      lp += logProbs[t * C + path[t]!]!;
    }
    const labels: number[] = [];
    let prev = -1;
    for (const c of path) {
      if (c !== prev && c !== blank) labels.push(c);
      prev = c;
    }
    const key = labels.join(',');
    const e = out.get(key);
    if (e) e.logProb = logAddExp(e.logProb, lp);
    else out.set(key, { labels, logProb: lp });
  }
  return out;
}

/** Random (T, C) log-probabilities, seeded; `sharpness` scales the logits. */
export function randomLogProbs(seed: number, T: number, C: number, sharpness = 2): Float64Array {
  const next = rng(seed);
  const x = new Float64Array(T * C);
  for (let i = 0; i < x.length; i++) x[i] = (next() * 2 - 1) * sharpness;
  for (let t = 0; t < T; t++) logSoftmaxRow(x, t * C, C, x, t * C);
  return x;
}

/**
 * (T, C) log-probabilities from a frame-by-frame label string (one character per frame,
 * '-' for blank): `p` on the named label, the rest spread evenly.
 */
export function peakyFrames(frames: string, labels: readonly string[], p = 0.9, blankChar = '-'): Float64Array {
  const C = labels.length;
  const x = new Float64Array(frames.length * C).fill(Math.log((1 - p) / (C - 1)));
  [...frames].forEach((ch, t) => {
    const c = ch === blankChar ? labels.indexOf(blankChar) : labels.indexOf(ch);
    if (c < 0) throw new Error(`no label ${ch}`);
    x[t * C + c] = Math.log(p);
  });
  return x;
}
