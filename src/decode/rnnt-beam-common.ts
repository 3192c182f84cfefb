/** What the two RNN-T beam searches share: hypotheses, their scores, options and the n-best list. */
import type { Hypothesis } from './hypothesis.js';
import { logAddExp } from '../math/log-softmax.js';
import { FusionScorer, type RnntLmFusion } from './rnnt-fusion.js';
import { selectTop } from './select-top.js';
import { PredictorCache, extendKey, jointLogProbs, jointLogProbsBatch, type PredictorStep, type TransducerModel } from './rnnt-model.js';

/** Options common to the RNN-T beam searches. */
export interface RnntBeamOptions {
  /** Hypotheses kept after each frame. Default 4. */
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

/** A hypothesis during search. */
export interface BeamHyp {
  /** Labels joined by ',' ('' for none): identifies the labelling. */
  key: string;
  tokens: number[];
  timesteps: number[];
  /** log of the acoustic probability mass summed over the alignments merged here. */
  logP: number;
  /** Weighted LM score plus label bonus of `tokens`. */
  lmScore: number;
  lmState: number;
}

/** The score hypotheses are ranked by. */
export function total(h: BeamHyp): number {
  return h.logP + h.lmScore;
}

/** Sorts best first by total, then by key so that ties never depend on insertion order. */
export function byTotal(a: BeamHyp, b: BeamHyp): number {
  return total(b) - total(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Per-utterance search state: the predictor cache, LM scorer and per-frame joint outputs. */
export class BeamContext<S> {
  readonly cache: PredictorCache<S>;
  readonly fusion: FusionScorer;
  readonly beam: number;
  readonly nBest: number;
  private readonly labelsPerExpansion: number;
  private readonly labelIdx: Int32Array;
  private readonly lpByKey = new Map<string, Float64Array>();
  private frame: Float32Array = new Float32Array(0);
  private t = -1;

  constructor(readonly model: TransducerModel<S>, opts: RnntBeamOptions, who: string) {
    this.beam = opts.beam ?? 4;
    this.nBest = opts.nBest ?? 1;
    if (!Number.isInteger(this.beam) || this.beam < 1) throw new Error(`${who}: beam must be a positive integer, got ${this.beam}`);
    if (!Number.isInteger(this.nBest) || this.nBest < 1) throw new Error(`${who}: nBest must be a positive integer, got ${this.nBest}`);
    this.labelsPerExpansion = opts.labelsPerExpansion ?? this.beam;
    if (!Number.isInteger(this.labelsPerExpansion) || this.labelsPerExpansion < 1) {
      throw new Error(`${who}: labelsPerExpansion must be a positive integer, got ${this.labelsPerExpansion}`);
    }
    this.labelIdx = new Int32Array(model.vocabSize - 1);
    this.cache = new PredictorCache(model);
    this.fusion = new FusionScorer(opts.lm, model.vocabSize, model.blank);
  }

  /** Starts frame t (encoder row `frame`): joint outputs of earlier frames are dropped. */
  startFrame(t: number, frame: Float32Array): void {
    this.t = t;
    this.frame = frame;
    this.lpByKey.clear();
  }

  /** The empty hypothesis. */
  root(): BeamHyp {
    return { key: '', tokens: [], timesteps: [], logP: 0, lmScore: 0, lmState: this.fusion.begin() };
  }

  /** log P(output | prefix, current frame), over the vocabulary; computed once per prefix and frame. */
  logProbs(key: string): Float64Array {
    let lp = this.lpByKey.get(key);
    if (!lp) {
      lp = jointLogProbs(this.model, this.frame, this.step(key).output, new Float64Array(this.model.vocabSize), this.t);
      this.lpByKey.set(key, lp);
    }
    return lp;
  }

  /** {@link logProbs} of several prefixes, computed together (jointBatch) where not cached yet. */
  logProbsMany(keys: readonly string[]): Float64Array[] {
    const missing = [...new Set(keys.filter((k) => !this.lpByKey.has(k)))];
    if (missing.length > 0) {
      const lps = jointLogProbsBatch(this.model, this.frame, missing.map((k) => this.step(k).output), this.t);
      missing.forEach((k, i) => this.lpByKey.set(k, lps[i]!));
    }
    return keys.map((k) => this.lpByKey.get(k)!);
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
      key: extendKey(h.key, label),
      tokens: [...h.tokens, label],
      timesteps: [...h.timesteps, this.t],
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
      return { h, score: lengthNormalized ? s / Math.max(1, h.tokens.length) : s };
    });
    scored.sort((a, b) => b.score - a.score || byTotal(a.h, b.h));
    return scored.slice(0, this.nBest).map(({ h, score }) => ({ tokens: h.tokens, timesteps: h.timesteps, score }));
  }

  private step(key: string): PredictorStep<S> {
    if (key === '') return this.cache.root();
    const cut = key.lastIndexOf(',');
    return this.cache.extend(cut < 0 ? '' : key.slice(0, cut), Number(key.slice(cut + 1))).step;
  }
}

/**
 * Adds `h` to `into`, summing the acoustic mass with a hypothesis of the same labelling
 * already there (the LM score, a function of the labels, is the same); the timesteps of
 * the more probable of the two are kept.
 */
export function mergeInto(into: Map<string, BeamHyp>, h: BeamHyp): void {
  const old = into.get(h.key);
  if (!old) { into.set(h.key, h); return; }
  const logP = logAddExp(old.logP, h.logP);
  into.set(h.key, h.logP > old.logP ? { ...h, logP } : { ...old, logP });
}
