/**
 * Best-path (greedy) CTC decoding with timings and confidences, on top of
 * {@link ctcGreedyDecode}: each token starts at the first frame of its run of arg-max
 * frames and ends at the last; its confidence is its peak posterior over the run. Words
 * are the runs of tokens between delimiter tokens; a word's confidence is the geometric
 * mean of its tokens' confidences, and the utterance's is the geometric mean of the best
 * path's posterior over every frame (blank frames included).
 */
import { ctcGreedyDecode } from './greedy.js';
import type { Hypothesis, WordTiming } from './hypothesis.js';
import { logSoftmaxRow } from '../math/log-softmax.js';

/** What {@link bestPaths} needs besides the scores. */
export interface BestPathOptions {
  /** Index of the blank. Default 0. */
  blank?: number;
  /** Label text of each class, for `text` and `words` (the blank's is ignored). */
  labels?: readonly string[];
  /** The label that separates words. Default ' '. */
  wordDelimiter?: string;
}

/** A best-path hypothesis with token end frames, confidences, text and words. */
export interface BestPathHypothesis extends Hypothesis {
  text: string;
  words: WordTiming[];
  confidence: number;
  /** Per token: the last frame of its run, and its peak posterior (parallel to `tokens`). */
  tokenEnds: number[];
  tokenConfidences: number[];
}

/**
 * Decodes every sequence of unnormalised logits [T, B, C] (time-major) over its first
 * lengths[b] frames. The score is the best path's log-probability.
 */
export function bestPaths(logits: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, options: BestPathOptions = {}): BestPathHypothesis[] {
  const [, B, C] = shape;
  const blank = options.blank ?? 0;
  const labels = options.labels;
  if (labels && labels.length !== C) throw new Error(`bestPaths: ${labels.length} labels for ${C} classes`);
  const delimiter = options.wordDelimiter ?? ' ';
  const row = new Float64Array(C);
  return ctcGreedyDecode(logits, shape, lengths, { blank }).map((h, b) => {
    const { tokens, timesteps: starts } = h;
    const length = lengths[b]!;
    // Each run goes on while its token stays the arg-max; its peak is the highest posterior on it.
    const ends: number[] = [], peaks: number[] = [];
    tokens.forEach((k, i) => {
      let t = starts[i]!;
      let peak = -Infinity;
      for (; t < length; t++) {
        logSoftmaxRow(logits, (t * B + b) * C, C, row, 0);
        if (argmax(row) !== k) break;
        peak = Math.max(peak, row[k]!);
      }
      ends.push(t - 1);
      peaks.push(peak);
    });
    const words: WordTiming[] = [];
    if (labels) {
      let w = -1; // the current word's first token
      let logConf = 0;
      const close = (end: number): void => {
        if (w < 0) return;
        words.push({ word: tokens.slice(w, end).map((k) => labels[k]!).join(''), startFrame: starts[w]!, endFrame: ends[end - 1]!, confidence: Math.exp(logConf / (end - w)) });
        w = -1;
      };
      tokens.forEach((k, i) => {
        if (labels[k] === delimiter) return close(i);
        if (w < 0) { w = i; logConf = 0; }
        logConf += peaks[i]!;
      });
      close(tokens.length);
    }
    // Words joined by one delimiter: stray leading, trailing or doubled delimiters are dropped.
    const text = !labels ? '' : labels.includes(delimiter) ? words.map((x) => x.word).join(delimiter) : tokens.map((k) => labels[k]!).join('');
    return {
      ...h, text, words, confidence: length > 0 ? Math.exp(h.score / length) : 1, tokenEnds: ends, tokenConfidences: peaks.map(Math.exp),
    };
  });
}

function argmax(row: Float64Array): number {
  let k = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[k]!) k = c;
  return k;
}
