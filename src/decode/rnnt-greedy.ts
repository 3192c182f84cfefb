/** Greedy RNN-T decoding: the most probable output at each step, a cap on symbols per frame. */
import type { Hypothesis } from './hypothesis.js';
import {
  argmax, checkEncoderOutput, encoderFrame, jointLogProbs,
  type EncoderOutput, type PredictorStep, type TransducerModel,
} from './rnnt-model.js';

/** Options of {@link rnntGreedyDecode}. */
export interface RnntGreedyOptions {
  /**
   * Most labels emitted at one frame before moving on (a model that never chooses blank
   * would otherwise loop forever). Default 10.
   */
  maxSymbolsPerFrame?: number;
}

/** Checks a symbols-per-frame cap (shared by the RNN-T decoders). */
export function checkSymbolsCap(cap: number, who: string): number {
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`${who}: maxSymbolsPerFrame must be a positive integer, got ${cap}`);
  return cap;
}

/**
 * Greedy decoding of one utterance: at each frame, take the joint network's most
 * probable output; a label is emitted (and fed to the prediction network) and the same
 * frame is tried again, a blank moves to the next frame, as does reaching
 * `maxSymbolsPerFrame` labels at one frame. The score is the sum of the log-probabilities
 * of the outputs taken (blanks included).
 */
export function rnntGreedyDecode<S>(
  model: TransducerModel<S>, enc: EncoderOutput, options: RnntGreedyOptions = {},
): Hypothesis {
  const search = new RnntGreedyStream(model, options);
  search.step(enc);
  return search.best();
}

/**
 * {@link rnntGreedyDecode} fed its encoder frames a chunk at a time (a live stream): the
 * prediction network's state and the labels so far are carried from chunk to chunk.
 */
export class RnntGreedyStream<S> {
  private readonly cap: number;
  private readonly lp: Float64Array;
  private readonly tokens: number[] = [];
  private readonly timesteps: number[] = [];
  private score = 0;
  private t = 0;
  private pred: PredictorStep<S>;

  constructor(readonly model: TransducerModel<S>, options: RnntGreedyOptions = {}) {
    this.cap = checkSymbolsCap(options.maxSymbolsPerFrame ?? 10, 'rnntGreedyDecode');
    this.lp = new Float64Array(model.vocabSize);
    this.pred = model.predict(model.startLabel ?? model.blank, model.initialState());
  }

  /** Advances over the next encoder frames. */
  step(enc: EncoderOutput): void {
    checkEncoderOutput(enc, 'rnntGreedyDecode');
    const { model, lp } = this;
    for (let i = 0; i < enc.frames; i++, this.t++) {
      const frame = encoderFrame(enc, i);
      for (let emitted = 0; emitted < this.cap; emitted++) {
        jointLogProbs(model, frame, this.pred.output, lp, this.t);
        const k = argmax(lp);
        this.score += lp[k]!;
        if (k === model.blank) break;
        this.tokens.push(k);
        this.timesteps.push(this.t);
        this.pred = model.predict(k, this.pred.state);
      }
    }
  }

  /** The hypothesis so far (copies). */
  best(): Hypothesis {
    return { tokens: this.tokens.slice(), timesteps: this.timesteps.slice(), score: this.score };
  }

  /** The hypothesis so far as a one-item n-best list (as the beam searches' streams give theirs). */
  end(): Hypothesis[] {
    return [this.best()];
  }
}

/**
 * {@link rnntGreedyDecode} of several utterances: each gets exactly the hypothesis it
 * would alone, but the prediction-network steps of the utterances that emit a label at
 * the same step are computed together (the model's predictBatch, where it has one), so a
 * batch pays for a few matrix products with many rows instead of one per label.
 */
export function rnntGreedyDecodeBatch<S>(
  model: TransducerModel<S>, encs: readonly EncoderOutput[], options: RnntGreedyOptions = {},
): Hypothesis[] {
  const who = 'rnntGreedyDecodeBatch';
  for (const enc of encs) checkEncoderOutput(enc, who);
  const cap = checkSymbolsCap(options.maxSymbolsPerFrame ?? 10, who);
  const predictBatch = model.predictBatch;
  if (!predictBatch) return encs.map((enc) => rnntGreedyDecode(model, enc, options));
  const start = model.startLabel ?? model.blank;
  const first = predictBatch.call(model, encs.map(() => start), encs.map(() => model.initialState()));
  const utts = encs.map((enc, i) => ({ enc, t: 0, emitted: 0, pred: first[i]!, tokens: [] as number[], timesteps: [] as number[], score: 0 }));
  const lp = new Float64Array(model.vocabSize);
  let active = utts.filter((u) => u.enc.frames > 0);
  while (active.length > 0) {
    const emitting: typeof utts = [];
    const labels: number[] = [];
    for (const u of active) {
      // run this utterance until it emits a label (whose prediction step is batched) or ends
      while (u.t < u.enc.frames) {
        jointLogProbs(model, encoderFrame(u.enc, u.t), u.pred.output, lp, u.t);
        const k = argmax(lp);
        u.score += lp[k]!;
        if (k === model.blank) {
          u.t++;
          u.emitted = 0;
          continue;
        }
        u.tokens.push(k);
        u.timesteps.push(u.t);
        if (++u.emitted === cap) {
          u.t++;
          u.emitted = 0;
        }
        emitting.push(u);
        labels.push(k);
        break;
      }
    }
    if (emitting.length > 0) {
      const steps = predictBatch.call(model, labels, emitting.map((u) => u.pred.state));
      emitting.forEach((u, i) => { u.pred = steps[i]!; });
    }
    active = active.filter((u) => u.t < u.enc.frames);
  }
  return utts.map(({ tokens, timesteps, score }) => ({ tokens, timesteps, score }));
}
