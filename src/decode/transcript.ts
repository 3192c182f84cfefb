/**
 * Hypotheses to transcripts: the words and tokens of a decoded utterance with their times
 * in seconds, which is what the recogniser, the server and the demo page return. Every
 * decoder's hypotheses go through {@link toTranscript}.
 */
import type { Hypothesis, WordTiming } from './hypothesis.js';

/** A word with its timing in seconds. */
export interface TimedWord extends WordTiming {
  /** Seconds from the start of the audio to the word's first frame. */
  start: number;
  /** Seconds to the end of the word's last frame. */
  end: number;
  confidence: number;
}

/** A token (character) with its timing in seconds. */
export interface TimedToken {
  id: number;
  token: string;
  start: number;
  end: number;
  /** Peak posterior over the token's frames. */
  confidence: number;
}

/** What the recogniser returns for one utterance: the shared Hypothesis, with times in seconds. */
export interface Transcript extends Hypothesis {
  text: string;
  words: TimedWord[];
  /** Geometric mean of the best path's per-frame posteriors, in [0, 1]. */
  confidence: number;
  tokenTimings: TimedToken[];
  /** Seconds of audio transcribed. */
  duration: number;
  /** With an n-best beam search (nBest > 1): the best texts, best first (this transcript's first), with their scores. */
  alternatives?: { text: string; score: number }[];
  /** When asked for: the network's output for this utterance (DecodeOptions.keepOutput). */
  output?: OutputMatrix;
}

/** One utterance's unnormalised output scores [frames, classes], time-major. */
export interface OutputMatrix {
  logits: Float32Array;
  frames: number;
  classes: number;
}

/**
 * A hypothesis with what some decoders know beyond {@link Hypothesis}: where each token
 * ends and its posterior (best path gives both).
 */
export interface TimedHypothesis extends Hypothesis {
  /** Last frame (inclusive) of each token; default: its first frame. */
  tokenEnds?: number[];
  /** Each token's confidence in [0, 1]; default: its word's, else the utterance's. */
  tokenConfidences?: number[];
}

/** What {@link toTranscript} needs besides the hypotheses. */
export interface TranscriptContext {
  /** The model's output labels (blank's never shown). */
  labels: readonly string[];
  /** Seconds per output frame: frame t spans [t, t + 1) x secondsPerFrame. */
  secondsPerFrame: number;
  /** Seconds of audio (the transcript's duration). */
  duration: number;
  /** List the n-best texts as `alternatives` (a decoder asked for more than one). */
  alternatives?: boolean;
}

const WORD_DELIMITER = ' ';

const roundMs = (s: number): number => Math.round(s * 1000) / 1000;

/**
 * The transcript of one utterance from its n-best hypotheses (best first; none gives an
 * empty transcript). What a hypothesis leaves out is derived the same way for every
 * decoder: text from the labels (single spaces between words); words as the runs between
 * spaces, with the utterance's confidence; the utterance's confidence as the geometric
 * mean of its words'; a token ends at its first frame and has its word's confidence.
 */
export function toTranscript(nbest: readonly TimedHypothesis[], ctx: TranscriptContext): Transcript {
  const h = nbest[0];
  const alternatives = ctx.alternatives ? { alternatives: nbest.map((x) => ({ text: textOf(x, ctx.labels), score: x.score })) } : {};
  if (h === undefined) {
    return { tokens: [], timesteps: [], score: 0, text: '', words: [], confidence: 1, tokenTimings: [], duration: ctx.duration, ...alternatives };
  }
  const spf = ctx.secondsPerFrame;
  const given = h.words?.map((w) => ({ ...w, confidence: w.confidence ?? 1 }));
  const confidence = h.confidence ?? geometricMean((given ?? []).map((w) => w.confidence));
  const timings = (given ?? wordsOf(h, ctx.labels, confidence)).map((w): TimedWord => ({
    ...w, start: roundMs(w.startFrame * spf), end: roundMs((w.endFrame + 1) * spf),
  }));
  const tokenTimings = h.tokens.map((id, i): TimedToken => {
    const t = h.timesteps[i]!;
    const word = h.tokenConfidences ? undefined : timings.find((w) => w.startFrame <= t && t <= w.endFrame);
    return {
      id, token: ctx.labels[id]!, start: roundMs(t * spf), end: roundMs(((h.tokenEnds?.[i] ?? t) + 1) * spf),
      confidence: h.tokenConfidences?.[i] ?? word?.confidence ?? confidence,
    };
  });
  return {
    tokens: h.tokens, timesteps: h.timesteps, score: h.score, text: textOf(h, ctx.labels), words: timings, confidence, tokenTimings,
    duration: ctx.duration, ...alternatives,
  };
}

/** The hypothesis' text, or its labels' with single spaces between words. */
function textOf(h: Hypothesis, labels: readonly string[]): string {
  if (h.text !== undefined) return h.text;
  return h.tokens.map((k) => labels[k]!).join('').split(WORD_DELIMITER).filter((w) => w !== '').join(WORD_DELIMITER);
}

/** Words as the runs of tokens between delimiters, each from its first token's frame to its last's. */
function wordsOf(h: Hypothesis, labels: readonly string[], confidence: number): (WordTiming & { confidence: number })[] {
  const chars = h.tokens.map((k) => labels[k]!);
  const words: (WordTiming & { confidence: number })[] = [];
  for (let i = 0; i < chars.length;) {
    if (chars[i] === WORD_DELIMITER) { i++; continue; }
    let j = i;
    while (j < chars.length && chars[j] !== WORD_DELIMITER) j++;
    words.push({ word: chars.slice(i, j).join(''), startFrame: h.timesteps[i]!, endFrame: h.timesteps[j - 1]!, confidence });
    i = j;
  }
  return words;
}

/** Geometric mean of values in [0, 1] (1 for none); zeros count as 1e-12. */
export function geometricMean(xs: readonly number[]): number {
  return xs.length === 0 ? 1 : Math.exp(xs.reduce((s, x) => s + Math.log(Math.max(x, 1e-12)), 0) / xs.length);
}
