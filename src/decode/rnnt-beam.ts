/**
 * Graves (2012) transducer beam search: hypotheses may emit several labels at a frame;
 * the probability of each labelling is summed over its alignments (including the paths
 * that reach it from a shorter hypothesis of the beam within the frame).
 */
import type { Hypothesis } from './hypothesis.js';
import { logAddExp } from '../math/log-softmax.js';
import { BeamContext, byTotal, total, type BeamHyp, type RnntBeamOptions } from './rnnt-beam-common.js';
import { checkSymbolsCap } from './rnnt-greedy.js';
import { checkEncoderOutput, encoderFrame, extendKey, type EncoderOutput, type TransducerModel } from './rnnt-model.js';

/** Options of {@link rnntBeamSearch}. */
export interface RnntGravesBeamOptions extends RnntBeamOptions {
  /**
   * Most labels emitted at one frame; the last of them also ends the frame (no blank),
   * as in greedy decoding, so a cap of 1 gives the modified beam search's topology.
   * Default 10.
   */
  maxSymbolsPerFrame?: number;
  /** Rank the final hypotheses by score / number of labels, as Graves does. Default false. */
  lengthNormalized?: boolean;
}

/**
 * A hypothesis still open at the current frame. Its mass is kept per number of labels
 * its paths emitted at this frame, so that the cap applies to each path exactly:
 * byCount[c] (c < cap) may still emit; `capped` has used the cap and ended the frame.
 * hyp.logP is their sum (the ranking mass).
 */
interface Open {
  hyp: BeamHyp;
  byCount: Float64Array;
  capped: number;
}

/**
 * Beam search of Graves 2012 (Algorithm 1) over one utterance, returning the n-best
 * labellings (score: log P(labelling) summed over the alignments the search kept, plus
 * any LM fusion terms). Where the paper's pseudo-code would double-count, this does not:
 * extensions use the probability before the blank, and an extension that is already in
 * the frame's starting beam is not added again (the prefix step gave it those paths).
 */
export function rnntBeamSearch<S>(
  model: TransducerModel<S>, enc: EncoderOutput, options: RnntGravesBeamOptions = {},
): Hypothesis[] {
  const who = 'rnntBeamSearch';
  checkEncoderOutput(enc, who);
  const ctx = new BeamContext(model, options, who);
  const cap = checkSymbolsCap(options.maxSymbolsPerFrame ?? 10, who);
  let beam: BeamHyp[] = [ctx.root()];
  for (let t = 0; t < enc.frames; t++) {
    ctx.startFrame(t, encoderFrame(enc, t));
    const A = mergePrefixes(ctx, beam, cap);
    const starting = new Set(A.map((o) => o.hyp.key));
    const B: BeamHyp[] = [];
    const bTotals: number[] = []; // descending
    const close = (h: BeamHyp): void => {
      B.push(h);
      insertDescending(bTotals, total(h));
    };
    while (A.length > 0) {
      const i = bestIndex(A);
      const best = A[i]!;
      if (countAbove(bTotals, total(best.hyp)) >= ctx.beam) break;
      A[i] = A[A.length - 1]!;
      A.pop();
      const lp = ctx.logProbs(best.hyp.key);
      close({ ...best.hyp, logP: logAddExp(logSumExp(best.byCount) + lp[model.blank]!, best.capped) });
      for (let k = 0; k < model.vocabSize; k++) {
        if (k === model.blank || starting.has(extendKey(best.hyp.key, k))) continue;
        const child = extendOpen(ctx, best, k, lp[k]!, cap);
        if (child.byCount.every((m) => m === -Infinity)) close(child.hyp); else A.push(child);
      }
    }
    B.sort(byTotal);
    beam = B.slice(0, ctx.beam);
  }
  return ctx.finish(beam, options.lengthNormalized ?? false);
}

/** `o` extended by `label` (log-prob `logProb`): every path count moves up by one. */
function extendOpen<S>(ctx: BeamContext<S>, o: Open, label: number, logProb: number, cap: number): Open {
  const byCount = new Float64Array(cap).fill(-Infinity);
  for (let c = 0; c + 1 < cap; c++) byCount[c + 1] = o.byCount[c]! + logProb;
  const capped = o.byCount[cap - 1]! + logProb;
  const hyp = ctx.extend(o.hyp, label, logProb);
  hyp.logP = logAddExp(logSumExp(byCount), capped);
  return { hyp, byCount, capped };
}

/**
 * Graves's prefix step: each hypothesis also collects the paths that start from a shorter
 * hypothesis of the beam (a proper prefix) and emit the missing labels at this frame,
 * using the masses from before the step so that no path is counted twice.
 */
function mergePrefixes<S>(ctx: BeamContext<S>, beam: BeamHyp[], cap: number): Open[] {
  const A: Open[] = beam.map((h) => {
    const byCount = new Float64Array(cap).fill(-Infinity);
    byCount[0] = h.logP;
    return { hyp: { ...h }, byCount, capped: -Infinity };
  });
  A.sort((a, b) => a.hyp.tokens.length - b.hyp.tokens.length);
  const before = A.map((o) => o.hyp.logP);
  for (let i = 0; i < A.length; i++) {
    const y = A[i]!;
    const yt = y.hyp.tokens;
    for (let j = 0; j < i; j++) {
      const p = A[j]!.hyp;
      const gap = yt.length - p.tokens.length;
      if (gap === 0 || gap > cap || !(p.key === '' || y.hyp.key.startsWith(p.key + ','))) continue;
      let s = before[j]!;
      let key = p.key;
      for (let u = p.tokens.length; u < yt.length; u++) {
        s += ctx.logProbs(key)[yt[u]!]!;
        key = extendKey(key, yt[u]!);
      }
      if (gap < cap) y.byCount[gap] = logAddExp(y.byCount[gap]!, s);
      else y.capped = logAddExp(y.capped, s);
    }
    y.hyp.logP = logAddExp(logSumExp(y.byCount), y.capped);
  }
  return A;
}

function logSumExp(xs: Float64Array): number {
  let s = -Infinity;
  for (let i = 0; i < xs.length; i++) s = logAddExp(s, xs[i]!);
  return s;
}

function bestIndex(open: Open[]): number {
  let best = 0;
  for (let i = 1; i < open.length; i++) if (byTotal(open[i]!.hyp, open[best]!.hyp) < 0) best = i;
  return best;
}

/** How many of the descending `xs` exceed x. */
function countAbove(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! > x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function insertDescending(xs: number[], x: number): void {
  xs.splice(countAbove(xs, x), 0, x);
}
