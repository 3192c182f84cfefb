/**
 * Graves (2012) transducer beam search: hypotheses may emit several labels at a frame;
 * the probability of each labelling is summed over its alignments (including the paths
 * that reach it from a shorter hypothesis of the beam within the frame).
 */
import type { Hypothesis } from './hypothesis.js';
import { logAddExp } from '../math/log-softmax.js';
import { BeamContext, type BeamHyp, type RnntBeamOptions } from './rnnt-beam-common.js';
import { checkSymbolsCap } from './rnnt-greedy.js';
import { MaxHeap } from './max-heap.js';
import { checkEncoderOutput, encoderFrame, type EncoderOutput, type TransducerModel } from './rnnt-model.js';

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
 * A hypothesis reached at the current frame. Its mass is kept per number of labels its
 * paths emitted at this frame, so that the cap applies to each path exactly: byCount[c]
 * (c < cap) may still emit, `capped` has used the cap and ended the frame. Most nodes
 * are never expanded, so a child only records its parent and label until it is.
 */
interface Node {
  /** Its labelling (an id of the search's prefix tree). */
  prefix: number;
  /** Ranking mass: log of all its paths' probability at this frame. */
  logP: number;
  lmScore: number;
  lmState: number;
  parent: Node | null;
  label: number;
  /** log P(label | parent, frame), for building byCount from the parent's. */
  labelLogP: number;
  /** Per-count masses, built on demand (see counts()). */
  byCount: Float64Array | null;
  capped: number;
  /** The hypothesis, built on demand (see hypOf()). */
  hyp: BeamHyp | null;
}

/** A hypothesis that has ended the frame, with its mass for the next. */
interface Closed {
  node: Node;
  logP: number;
}

const nodeTotal = (n: { logP: number; lmScore: number }): number => n.logP + n.lmScore;
const nodeBefore = (a: Node, b: Node): boolean => {
  const d = nodeTotal(a) - nodeTotal(b);
  return d > 0 || (d === 0 && a.prefix < b.prefix);
};

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
  const search = new RnntBeamStream(model, options);
  search.step(enc);
  return search.end();
}

/**
 * {@link rnntBeamSearch} fed its encoder frames a chunk at a time (a live stream): the beam
 * is carried from chunk to chunk, so any cut of the frames gives the same result.
 */
export class RnntBeamStream<S> {
  private readonly ctx: BeamContext<S>;
  private readonly cap: number;
  private beam: BeamHyp[];
  private t = 0;

  constructor(readonly model: TransducerModel<S>, private readonly options: RnntGravesBeamOptions = {}) {
    this.ctx = new BeamContext(model, options, 'rnntBeamSearch');
    this.cap = checkSymbolsCap(options.maxSymbolsPerFrame ?? 10, 'rnntBeamSearch');
    this.beam = [this.ctx.root()];
  }

  /** The n-best so far (the LM's end-of-sentence term included), best first; the search goes on. */
  end(): Hypothesis[] {
    return this.ctx.finish(this.beam, this.options.lengthNormalized ?? false);
  }

  /** Advances the search over the next encoder frames. */
  step(enc: EncoderOutput): void {
    checkEncoderOutput(enc, 'rnntBeamSearch');
    for (let i = 0; i < enc.frames; i++, this.t++) this.frame(encoderFrame(enc, i), this.t);
  }

  private frame(frame: Float32Array, t: number): void {
    const { ctx, cap, model } = this;
    const beam = this.beam;
    ctx.startFrame(t, frame);
    // the beam's outputs are nearly always needed: compute them together (the prediction
    // network steps of last frame's extensions among them)
    ctx.logProbsMany(beam.map((h) => h.prefix));
    const starts = mergePrefixes(ctx, beam, cap);
    const starting = new Set(starts.map((n) => n.prefix));
    const A = new MaxHeap<Node>(nodeBefore);
    for (const n of starts) A.push(n);
    const B: Closed[] = [];
    const bTotals: number[] = []; // descending
    const close = (node: Node, logP: number): void => {
      B.push({ node, logP });
      insertDescending(bTotals, logP + node.lmScore);
    };
    // Graves: until B holds `beam` hypotheses more probable than the best left in A
    for (let best = A.peek(); best && countAbove(bTotals, nodeTotal(best)) < ctx.beam; best = A.peek()) {
      A.pop();
      const counts = countsOf(best, cap);
      const open = logSumExp(counts);
      const lp = ctx.logProbs(best.prefix);
      close(best, logAddExp(open + lp[model.blank]!, best.capped));
      // a child whose every path used the cap has ended the frame already
      const childrenClosed = counts.subarray(0, cap - 1).every((m) => m === -Infinity);
      for (const k of ctx.candidates(lp)) {
        const prefix = ctx.prefixes.child(best.prefix, k);
        if (starting.has(prefix)) continue;
        const lmAdd = ctx.fusion.step(best.lmState, k);
        const child: Node = {
          prefix, logP: open + lp[k]!, lmScore: best.lmScore + lmAdd, lmState: ctx.fusion.nextState,
          parent: best, label: k, labelLogP: lp[k]!, byCount: null, capped: counts[cap - 1]! + lp[k]!, hyp: null,
        };
        if (childrenClosed) close(child, child.capped); else A.push(child);
      }
    }
    B.sort((a, b) => (b.logP + b.node.lmScore) - (a.logP + a.node.lmScore) || a.node.prefix - b.node.prefix);
    this.beam = B.slice(0, ctx.beam).map(({ node, logP }) => ({ ...hypOf(node, t), logP }));
  }
}

/** byCount of a node: a child's counts are its parent's moved up by one label. */
function countsOf(n: Node, cap: number): Float64Array {
  if (n.byCount) return n.byCount;
  const parent = countsOf(n.parent!, cap);
  const byCount = new Float64Array(cap).fill(-Infinity);
  for (let c = 0; c + 1 < cap; c++) byCount[c + 1] = parent[c]! + n.labelLogP;
  n.byCount = byCount;
  return byCount;
}

/** The hypothesis of a node (its labels and their frames), built along its parents. */
function hypOf(n: Node, t: number): BeamHyp {
  if (n.hyp) return n.hyp;
  const p = hypOf(n.parent!, t);
  n.hyp = { prefix: n.prefix, trace: { t, prev: p.trace }, logP: n.logP, lmScore: n.lmScore, lmState: n.lmState };
  return n.hyp;
}

/**
 * Graves's prefix step: each hypothesis also collects the paths that start from a shorter
 * hypothesis of the beam (a proper prefix) and emit the missing labels at this frame,
 * using the masses from before the step so that no path is counted twice.
 */
function mergePrefixes<S>(ctx: BeamContext<S>, beam: BeamHyp[], cap: number): Node[] {
  const tree = ctx.prefixes;
  const A: Node[] = beam.map((h) => {
    const byCount = new Float64Array(cap).fill(-Infinity);
    byCount[0] = h.logP;
    return {
      prefix: h.prefix, logP: h.logP, lmScore: h.lmScore, lmState: h.lmState, parent: null, label: -1, labelLogP: 0,
      byCount, capped: -Infinity, hyp: h,
    };
  });
  A.sort((a, b) => tree.depth(a.prefix) - tree.depth(b.prefix));
  const before = A.map((n) => n.logP);
  for (let i = 0; i < A.length; i++) {
    const y = A[i]!;
    const dy = tree.depth(y.prefix);
    let path: number[] | null = null;
    for (let j = 0; j < i; j++) {
      const p = A[j]!.prefix;
      const dp = tree.depth(p);
      const gap = dy - dp;
      if (gap === 0 || gap > cap || !tree.isPrefix(p, y.prefix)) continue;
      path ??= tree.path(y.prefix);
      let s = before[j]!;
      for (let u = dp; u < dy; u++) s += ctx.logProbs(path[u]!)[tree.label(path[u + 1]!)]!;
      if (gap < cap) y.byCount![gap] = logAddExp(y.byCount![gap]!, s);
      else y.capped = logAddExp(y.capped, s);
    }
    y.logP = logAddExp(logSumExp(y.byCount!), y.capped);
  }
  return A;
}

function logSumExp(xs: Float64Array): number {
  let s = -Infinity;
  for (let i = 0; i < xs.length; i++) s = logAddExp(s, xs[i]!);
  return s;
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
