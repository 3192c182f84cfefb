/**
 * Slow, obviously-correct references for the RNN-T decoders: exact labelling
 * probabilities by dynamic programming over the lattice, every labelling enumerated,
 * and a plain argmax walk.
 */
import type { EncoderOutput, TransducerModel } from '../../src/decode/rnnt-model.js';

function softmaxLog<S>(model: TransducerModel<S>, enc: EncoderOutput, t: number, pred: Float32Array): number[] {
  const z = Array.from(model.joint(enc.data.subarray(t * enc.dim, (t + 1) * enc.dim), pred));
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

/** Prediction outputs after each prefix of `labels` (index u: after u labels). */
function prefixOutputs<S>(model: TransducerModel<S>, labels: number[]): Float32Array[] {
  let step = model.predict(model.startLabel ?? model.blank, model.initialState());
  const outs = [step.output];
  for (const y of labels) {
    step = model.predict(y, step.state);
    outs.push(step.output);
  }
  return outs;
}

/**
 * Exact log P(labels): with `oneSymbolPerFrame` false, the standard transducer lattice
 * (labels stay on the frame, blank moves on, a final blank ends); with true, each frame
 * emits either a blank or one label and moves on.
 */
export function exactLogProb<S>(model: TransducerModel<S>, enc: EncoderOutput, labels: number[], oneSymbolPerFrame: boolean): number {
  const outs = prefixOutputs(model, labels);
  const U = labels.length;
  const T = enc.frames;
  // p[t][u]: probability of having consumed t frames and emitted u labels
  let p = new Array<number>(U + 1).fill(0);
  p[0] = 1;
  for (let t = 0; t < T; t++) {
    const lps = outs.map((o) => softmaxLog(model, enc, t, o));
    const next = new Array<number>(U + 1).fill(0);
    if (oneSymbolPerFrame) {
      for (let u = 0; u <= U; u++) {
        next[u]! += p[u]! * Math.exp(lps[u]![model.blank]!);
        if (u < U) next[u + 1]! += p[u]! * Math.exp(lps[u]![labels[u]!]!);
      }
    } else {
      // labels within the frame first, then the blank that closes it
      const within = [...p];
      for (let u = 1; u <= U; u++) within[u]! += within[u - 1]! * Math.exp(lps[u - 1]![labels[u - 1]!]!);
      for (let u = 0; u <= U; u++) next[u] = within[u]! * Math.exp(lps[u]![model.blank]!);
    }
    p = next;
  }
  return Math.log(p[U]!);
}

/** Every labelling over the non-blank labels of a vocabulary, up to maxLen labels. */
export function allLabellings(vocabSize: number, blank: number, maxLen: number): number[][] {
  const labels = [...Array(vocabSize).keys()].filter((k) => k !== blank);
  const out: number[][] = [[]];
  let layer: number[][] = [[]];
  for (let len = 1; len <= maxLen; len++) {
    layer = layer.flatMap((y) => labels.map((k) => [...y, k]));
    out.push(...layer);
  }
  return out;
}

/** The argmax walk, written out plainly: (frame, labels so far, labels at this frame). */
export function argmaxWalk<S>(model: TransducerModel<S>, enc: EncoderOutput, cap: number): { tokens: number[]; timesteps: number[]; score: number } {
  const tokens: number[] = [];
  const timesteps: number[] = [];
  let score = 0;
  let t = 0;
  let atFrame = 0;
  while (t < enc.frames) {
    const pred = prefixOutputs(model, tokens).pop()!;
    const lp = softmaxLog(model, enc, t, pred);
    const k = lp.indexOf(Math.max(...lp));
    score += lp[k]!;
    if (k === model.blank) { t++; atFrame = 0; continue; }
    tokens.push(k);
    timesteps.push(t);
    if (++atFrame === cap) { t++; atFrame = 0; }
  }
  return { tokens, timesteps, score };
}
