/** What the two RNN-T beam searches share: hypotheses, their scores, options and the n-best list. */
import type { Hypothesis } from './hypothesis.js';
import { logAddExp } from '../math/log-softmax.js';
import { FusionScorer, type RnntLmFusion } from './rnnt-fusion.js';
import { selectTop } from './select-top.js';
import { PrefixTree, jointLogProbs, jointLogProbsBatch, type TransducerModel } from './rnnt-model.js';

/**
 * The RNN-T beam width when none is given: every RNN-T beam search (createDecoder,
 * transducerDecode*, the searches' streams) takes this one default. (The CTC prefix beam
 * search's default is 32.)
 */
export const DEFAULT_RNNT_BEAM = 8;

/** Options common to the RNN-T beam searches. */
export interface RnntBeamOptions {
  /** Hypotheses kept after each frame. Default {@link DEFAULT_RNNT_BEAM}. */
  beam?: number;
  /** How many hypotheses to return, best first (at most `beam`). Default 1. */
  nBest?: number;
  /**
   * Labels considered when a hypothesis is extended: its most probable ones (acoustic
   * score), as in ESPnet and k2. Default: `beam`. Pass the vocabulary size for no pruning.
   */
  labelsPerExpansion?: number;
  /** Shallow fusion with a token-level language model. Default none. */
  lm?: RnntLmFusion;
}

/** The frames at which a hypothesis' labels were emitted, newest first, shared between hypotheses. */
export interface Trace {
  t: number;
  prev: Trace | null;
}

/** A hypothesis during search. */
export interface BeamHyp {
  /** Its labelling, as an id of the search's {@link PrefixTree}. */
  prefix: number;
  /** The frame of each label (as many as the prefix has). */
  trace: Trace | null;
  /** log of the acoustic probability mass summed over the alignments merged here. */
  logP: number;
  /** Weighted LM score plus label bonus of the labels. */
  lmScore: number;
  lmState: number;
}

/** The score hypotheses are ranked by. */
export function total(h: BeamHyp): number {
  return h.logP + h.lmScore;
}

/** Sorts best first by total, then by prefix id so that ties never depend on insertion order. */
export function byTotal(a: BeamHyp, b: BeamHyp): number {
  return total(b) - total(a) || a.prefix - b.prefix;
}

/** Per-utterance search state: the prefixes and their predictor steps, the LM scorer and per-frame joint outputs. */
export class BeamContext<S> {
  readonly prefixes: PrefixTree<S>;
  readonly fusion: FusionScorer;
  readonly beam: number;
  readonly nBest: number;
  private readonly labelsPerExpansion: number;
  private readonly labelIdx: Int32Array;
  private readonly lpByPrefix = new Map<number, Float64Array>();
  private frame: Float32Array = new Float32Array(0);
  private t = -1;

  constructor(readonly model: TransducerModel<S>, opts: RnntBeamOptions, who: string) {
    this.beam = opts.beam ?? DEFAULT_RNNT_BEAM;
    this.nBest = opts.nBest ?? 1;
    if (!Number.isInteger(this.beam) || this.beam < 1) throw new Error(`${who}: beam must be a positive integer, got ${this.beam}`);
    if (!Number.isInteger(this.nBest) || this.nBest < 1) throw new Error(`${who}: nBest must be a positive integer, got ${this.nBest}`);
    this.labelsPerExpansion = opts.labelsPerExpansion ?? this.beam;
    if (!Number.isInteger(this.labelsPerExpansion) || this.labelsPerExpansion < 1) {
      throw new Error(`${who}: labelsPerExpansion must be a positive integer, got ${this.labelsPerExpansion}`);
    }
    this.labelIdx = new Int32Array(model.vocabSize - 1);
    this.prefixes = new PrefixTree(model);
    this.fusion = new FusionScorer(opts.lm, model.vocabSize, model.blank);
  }

  /** The current frame. */
  get frameIndex(): number {
    return this.t;
  }

  /** Starts frame t (encoder row `frame`): joint outputs of earlier frames are dropped. */
  startFrame(t: number, frame: Float32Array): void {
    this.t = t;
    this.frame = frame;
    this.lpByPrefix.clear();
  }

  /** The empty hypothesis. */
  root(): BeamHyp {
    return { prefix: 0, trace: null, logP: 0, lmScore: 0, lmState: this.fusion.begin() };
  }

  /** log P(output | prefix, current frame), over the vocabulary; computed once per prefix and frame. */
  logProbs(prefix: number): Float64Array {
    let lp = this.lpByPrefix.get(prefix);
    if (!lp) {
      lp = jointLogProbs(this.model, this.frame, this.prefixes.step(prefix).output, new Float64Array(this.model.vocabSize), this.t);
      this.lpByPrefix.set(prefix, lp);
    }
    return lp;
  }

  /** {@link logProbs} of several prefixes, computed together (predictBatch, jointBatch) where not cached yet. */
  logProbsMany(prefixes: readonly number[]): Float64Array[] {
    const missing = [...new Set(prefixes.filter((p) => !this.lpByPrefix.has(p)))];
    if (missing.length > 0) {
      this.prefixes.prepare(missing);
      const lps = jointLogProbsBatch(this.model, this.frame, missing.map((p) => this.prefixes.step(p).output), this.t);
      missing.forEach((p, i) => this.lpByPrefix.set(p, lps[i]!));
    }
    return prefixes.map((p) => this.lpByPrefix.get(p)!);
  }

  /**
   * The labels to extend a hypothesis with, given its log-probs `lp`: the
   * `labelsPerExpansion` most probable non-blank ones (a view, valid until the next call).
   */
  candidates(lp: Float64Array): Int32Array {
    const idx = this.labelIdx;
    let m = 0;
    for (let k = 0; k < lp.length; k++) if (k !== this.model.blank) idx[m++] = k;
    const n = Math.min(this.labelsPerExpansion, m);
    selectTop(lp, idx, m, n);
    return idx.subarray(0, n).sort();
  }

  /** `h` extended by `label` emitted at the current frame, with acoustic log-prob `logProb`. */
  extend(h: BeamHyp, label: number, logProb: number): BeamHyp {
    const lmAdd = this.fusion.step(h.lmState, label);
    return {
      prefix: this.prefixes.child(h.prefix, label),
      trace: { t: this.t, prev: h.trace },
      logP: h.logP + logProb,
      lmScore: h.lmScore + lmAdd,
      lmState: this.fusion.nextState,
    };
  }

  /**
   * The n-best list, best first: the LM's end-of-sentence score added, and with
   * `lengthNormalized` the score divided by the number of labels (at least 1).
   */
  finish(hyps: Iterable<BeamHyp>, lengthNormalized = false): Hypothesis[] {
    const scored = [...hyps].map((h) => {
      const s = total(h) + this.fusion.finish(h.lmState);
      return { h, score: lengthNormalized ? s / Math.max(1, this.prefixes.depth(h.prefix)) : s };
    });
    scored.sort((a, b) => b.score - a.score || byTotal(a.h, b.h));
    return scored.slice(0, this.nBest).map(({ h, score }) => ({ tokens: this.prefixes.tokens(h.prefix), timesteps: traceFrames(h.trace), score }));
  }
}

/** The frames of a trace, oldest first. */
export function traceFrames(trace: Trace | null): number[] {
  const out: number[] = [];
  for (let x = trace; x; x = x.prev) out.push(x.t);
  return out.reverse();
}

/**
 * Adds `h` to `into`, summing the acoustic mass with a hypothesis of the same labelling
 * already there (the LM score, a function of the labels, is the same); the timesteps of
 * the more probable of the two are kept.
 */
export function mergeInto(into: Map<number, BeamHyp>, h: BeamHyp): void {
  const old = into.get(h.prefix);
  if (!old) { into.set(h.prefix, h); return; }
  const logP = logAddExp(old.logP, h.logP);
  if (h.logP > old.logP) { h.logP = logP; into.set(h.prefix, h); } else old.logP = logP;
}
