/** A word of a hypothesis with the frames it spans. */
export interface WordTiming {
  word: string;
  /** First frame of the word's first token. */
  startFrame: number;
  /** Last frame (inclusive) where the word's last token is emitted. */
  endFrame: number;
  /** Posterior-style confidence in [0, 1], where the decoder computes one. */
  confidence?: number;
}

/**
 * The one result type that every sayre decoder returns (greedy, prefix beam search,
 * RNN-T search): a labelling with its score and where each token starts.
 */
export interface Hypothesis {
  /** Label ids, blanks removed and repeats collapsed. */
  tokens: number[];
  /** Frame at which each token starts (same length as tokens). */
  timesteps: number[];
  /** Log-probability-style score; larger is better. Its exact meaning is the decoder's. */
  score: number;
  /** Decoded text, where the decoder knows the tokenizer. */
  text?: string;
  /** Words with start/end frames, where the decoder knows the word boundary token. */
  words?: WordTiming[];
  /** Overall confidence in [0, 1], where computed. */
  confidence?: number;
}
