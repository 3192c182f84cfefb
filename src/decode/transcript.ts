/**
 * Hypotheses to transcripts: the words and tokens of a decoded utterance with their times
 * in seconds, which is what the recogniser, the server and the demo page return.
 */
import { type CharTokenizer, tokenizerLabels } from '../data/char-tokenizer.js';
import { bestPaths } from './best-path.js';
import type { Hypothesis, WordTiming } from './hypothesis.js';
import type { CtcBeamSearchDecoder } from './prefix-beam-search.js';

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
}

/**
 * Best-path transcripts of a batch of logits [T', B, C] (the model's output), with times
 * in seconds: output frame t spans [t, t + 1) x `secondsPerFrame`.
 */
export function transcribeLogits(
  logits: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, tokenizer: CharTokenizer, secondsPerFrame: number, durations?: ArrayLike<number>,
): Transcript[] {
  const labels = tokenizerLabels(tokenizer);
  const out: Transcript[] = [];
  const round = (s: number): number => Math.round(s * 1000) / 1000;
  bestPaths(logits, shape, lengths, { blank: tokenizer.blank, labels }).forEach((h, b) => {
    const words: TimedWord[] = h.words.map((w) => ({
      ...w, confidence: w.confidence ?? 1, start: round(w.startFrame * secondsPerFrame), end: round((w.endFrame + 1) * secondsPerFrame),
    }));
    const tokenTimings = h.tokens.map((id, i) => ({
      id, token: labels[id]!, start: round(h.timesteps[i]! * secondsPerFrame), end: round((h.tokenEnds[i]! + 1) * secondsPerFrame), confidence: h.tokenConfidences[i]!,
    }));
    out.push({
      tokens: h.tokens, timesteps: h.timesteps, score: h.score, text: h.text, words, confidence: h.confidence, tokenTimings,
      duration: durations ? durations[b]! : round(lengths[b]! * secondsPerFrame),
    });
  });
  return out;
}

/**
 * Prefix beam-search transcripts (the decoder's LM and hotwords included) of a batch of
 * logits [T', B, C], with times in seconds. Tokens have no end frames or posteriors here:
 * each spans its first frame, and its confidence is its word's.
 */
export function beamTranscripts(
  logits: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, decoder: CtcBeamSearchDecoder, secondsPerFrame: number, durations?: ArrayLike<number>,
): Transcript[] {
  const round = (s: number): number => Math.round(s * 1000) / 1000;
  return decoder.decode(logits, shape, lengths).map((nbest, b) => {
    const h = nbest[0];
    const words: TimedWord[] = (h?.words ?? []).map((w) => ({
      ...w, confidence: w.confidence ?? 1, start: round(w.startFrame * secondsPerFrame), end: round((w.endFrame + 1) * secondsPerFrame),
    }));
    const confidence = words.length === 0 ? 1 : Math.exp(words.reduce((s, w) => s + Math.log(Math.max(w.confidence, 1e-12)), 0) / words.length);
    const tokenTimings = (h?.tokens ?? []).map((id, i) => {
      const t = h!.timesteps[i]!;
      const word = words.find((w) => w.startFrame <= t && t <= w.endFrame);
      return { id, token: decoder.labels.labels[id]!, start: round(t * secondsPerFrame), end: round((t + 1) * secondsPerFrame), confidence: word?.confidence ?? confidence };
    });
    return {
      tokens: h?.tokens ?? [], timesteps: h?.timesteps ?? [], score: h?.score ?? 0, text: h?.text ?? '', words, confidence, tokenTimings,
      duration: durations ? durations[b]! : round(lengths[b]! * secondsPerFrame),
      ...(decoder.options.nBest > 1 ? { alternatives: nbest.map((x) => ({ text: x.text ?? '', score: x.score })) } : {}),
    };
  });
}

