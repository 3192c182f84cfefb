/**
 * Frame-level scores of a voice-activity detector against reference labels: accuracy (frames
 * decided right), speech recall (speech frames called speech) and the false-alarm rate
 * (non-speech frames called speech). Counts add up across examples before the rates.
 */

/** Frame counts of one or more examples. */
export interface VadCounts {
  frames: number;
  /** Reference speech frames. */
  speech: number;
  /** Speech frames called speech. */
  hits: number;
  /** Non-speech frames called speech. */
  falseAlarms: number;
}

/** Rates from {@link VadCounts} (NaN where the denominator is 0). */
export interface VadRates {
  accuracy: number;
  recall: number;
  falseAlarmRate: number;
}

export function zeroVadCounts(): VadCounts {
  return { frames: 0, speech: 0, hits: 0, falseAlarms: 0 };
}

/** Adds the frames of one example (decisions and labels frame by frame, the same length) to `into`. */
export function countVadFrames(decisions: ArrayLike<boolean>, labels: ArrayLike<number>, into: VadCounts = zeroVadCounts()): VadCounts {
  if (decisions.length !== labels.length) throw new Error(`VAD scores: ${decisions.length} decisions for ${labels.length} labelled frames`);
  for (let f = 0; f < labels.length; f++) {
    const speech = labels[f]! > 0;
    into.frames++;
    if (speech) into.speech++;
    if (decisions[f] && speech) into.hits++;
    if (decisions[f] && !speech) into.falseAlarms++;
  }
  return into;
}

export function vadRates(c: VadCounts): VadRates {
  const correct = c.hits + (c.frames - c.speech - c.falseAlarms);
  return { accuracy: correct / c.frames, recall: c.hits / c.speech, falseAlarmRate: c.falseAlarms / (c.frames - c.speech) };
}
