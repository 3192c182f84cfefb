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
  checkEncoderOutput(enc, 'rnntGreedyDecode');
  const cap = checkSymbolsCap(options.maxSymbolsPerFrame ?? 10, 'rnntGreedyDecode');
  const lp = new Float64Array(model.vocabSize);
  const tokens: number[] = [];
  const timesteps: number[] = [];
  let score = 0;
  let pred: PredictorStep<S> = model.predict(model.startLabel ?? model.blank, model.initialState());
  for (let t = 0; t < enc.frames; t++) {
    const frame = encoderFrame(enc, t);
    for (let emitted = 0; emitted < cap; emitted++) {
      jointLogProbs(model, frame, pred.output, lp, t);
      const k = argmax(lp);
      score += lp[k]!;
      if (k === model.blank) break;
      tokens.push(k);
      timesteps.push(t);
      pred = model.predict(k, pred.state);
    }
  }
  return { tokens, timesteps, score };
}
