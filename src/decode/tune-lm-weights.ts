import { cer, wer } from '../metrics/error-rate.js';
import { CtcBeamSearchDecoder, type CtcBeamSearchOptions } from './prefix-beam-search.js';

/** One dev utterance for {@link tuneLmWeights}: its (T, C) logits or log-probabilities and its reference text. */
export interface TuneUtterance {
  logits: ArrayLike<number>;
  /** Frames T (logits hold T * C values). */
  frames: number;
  reference: string;
}

/** Options of {@link tuneLmWeights}. */
export interface TuneOptions {
  /** LM weights to try. Default 0, 0.25, ..., 2. */
  alphas?: readonly number[];
  /** Word insertion bonuses to try. Default -1, 0, ..., 4. */
  betas?: readonly number[];
  /** Bonuses per label to try (CTC only). Default 0 alone. */
  labelBonuses?: readonly number[];
  /** Weights of a word LM beside a character LM (`wordLm` of the decoder options) to try. Default: the decoder options' alone. */
  wordLmAlphas?: readonly number[];
  /** Scores of a word the word LM does not know to try. Default: the decoder options' alone. */
  unkScores?: readonly number[];
  /** Called after each grid point (progress). */
  onPoint?: (point: TunePoint, done: number, total: number) => void;
  /** The error rate the best point minimises: 'wer' (speech, default) or 'cer' (text lines, whose words are often not words). */
  metric?: 'wer' | 'cer';
}

/** One point of the grid: the weights it decodes with (the last two only where tuned). */
export interface GridPoint {
  alpha: number;
  beta: number;
  labelBonus: number;
  wordLmAlpha?: number;
  unkScore?: number;
}

/** One grid point's result. */
export interface TunePoint extends GridPoint {
  /** Corpus word error rate over the dev utterances. */
  wer: number;
  /** Corpus character error rate over the dev utterances. */
  cer: number;
}

/** The best grid point (lowest error rate by the metric; ties go to the first in grid order: smaller alpha, then beta, label bonus, word LM weight, unknown-word score) and the whole grid. */
export interface TuneResult extends TunePoint {
  grid: TunePoint[];
}

/**
 * Grid search of the LM weight alpha, word insertion bonus beta and bonus per label on dev
 * utterances: every (alpha, beta, label bonus) decodes every utterance with `decoderOptions` (which must
 * include the `lm`) and is scored by corpus WER and CER against the references.
 */
export function tuneLmWeights(labels: readonly string[], utterances: readonly TuneUtterance[],
  decoderOptions: CtcBeamSearchOptions, options: TuneOptions = {}): TuneResult {
  if (!decoderOptions.lm) throw new Error('tuneLmWeights: decoderOptions.lm is required');
  if (utterances.length === 0) throw new Error('tuneLmWeights: no dev utterances');
  const C = labels.length;
  utterances.forEach((u, i) => {
    if (u.logits.length !== u.frames * C) throw new Error(`tuneLmWeights: utterance ${i}: ${u.logits.length} values, ${u.frames} frames of ${C} need ${u.frames * C}`);
  });
  return gridSearchLmWeights(utterances.map((u) => u.reference), (point) => {
    const dec = new CtcBeamSearchDecoder(labels, { ...decoderOptions, ...point, nBest: 1 });
    return utterances.map((u) => dec.decode(u.logits, [u.frames, 1, C])[0]![0]!.text ?? '');
  }, options);
}

/**
 * The grid search of {@link tuneLmWeights} over any decoder: `decodeAt(point)` returns the
 * hypotheses of the dev utterances whose references are `refs` (the RNN-T models' tuning
 * goes through it, with alpha and beta alone).
 */
export function gridSearchLmWeights(refs: readonly string[], decodeAt: (point: GridPoint) => string[], options: TuneOptions = {}): TuneResult {
  if (refs.length === 0) throw new Error('tuneLmWeights: no dev utterances');
  const axes: [keyof GridPoint, readonly (number | undefined)[]][] = [
    ['alpha', options.alphas ?? Array.from({ length: 9 }, (_, i) => i * 0.25)],
    ['beta', options.betas ?? Array.from({ length: 6 }, (_, i) => i - 1)],
    ['labelBonus', options.labelBonuses ?? [0]],
    ['wordLmAlpha', options.wordLmAlphas ?? [undefined]],
    ['unkScore', options.unkScores ?? [undefined]],
  ];
  if (axes.some(([, values]) => values.length === 0)) throw new Error('tuneLmWeights: empty grid');
  // Every combination, the first axis slowest.
  let points: Partial<GridPoint>[] = [{}];
  for (const [key, values] of axes) points = points.flatMap((p) => values.map((v) => (v === undefined ? p : { ...p, [key]: v })));
  const grid: TunePoint[] = [];
  for (const p of points as GridPoint[]) {
    const hyps = decodeAt(p);
    const point = { ...p, wer: wer(refs, hyps), cer: cer(refs, hyps) };
    grid.push(point);
    options.onPoint?.(point, grid.length, points.length);
  }
  const metric = options.metric ?? 'wer';
  let best = grid[0]!;
  for (const p of grid) if (p[metric] < best[metric]) best = p;
  return { ...best, grid };
}
