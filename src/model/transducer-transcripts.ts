/** Recogniser transcripts (text, words and times) of an RNN-T model, as transcribeLogits gives a CTC model's. */
import type { CharTokenizer } from '../data/char-tokenizer.js';
import type { Transcript } from '../decode/transcript.js';
import { type TransducerDecodeOptions, transducerDecodeMany } from './transducer-evaluate.js';
import type { RnntModel } from './transducer-model.js';

/**
 * Transcripts of a padded batch x [T, B, inputDim] (lengths[b] real frames), decoded
 * greedily unless `decode` says otherwise. Token i spans output frame timesteps[i]
 * (times: frame t is [t, t + 1) x `secondsPerFrame`); words are the runs between the
 * tokenizer's spaces. The confidence is the geometric mean of the probabilities of the
 * decoder's choices (blanks included; beam searches: of the hypothesis' score); the decoders score paths, not tokens, so each
 * token and word carries the utterance's confidence.
 */
export function transducerTranscripts(
  model: RnntModel, x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>,
  tokenizer: CharTokenizer, secondsPerFrame: number, durations: ArrayLike<number>, decode: TransducerDecodeOptions = {},
): Transcript[] {
  const round = (s: number): number => Math.round(s * 1000) / 1000;
  const encs = model.encode(x, shape, lengths);
  const decoded = transducerDecodeMany(model, encs, decode);
  return encs.map((enc, b) => {
    const nbest = decoded[b]!;
    const h = nbest[0]!;
    // (an LM's fused scores and bonuses are in a beam search's score too: hence the cap at 1)
    const confidence = Math.min(1, Math.exp(h.score / Math.max(1, enc.frames + h.tokens.length)));
    const chars = h.tokens.map((k) => tokenizer.decode([k]));
    const tokenTimings = h.tokens.map((id, i) => ({
      id, token: chars[i]!, start: round(h.timesteps[i]! * secondsPerFrame), end: round((h.timesteps[i]! + 1) * secondsPerFrame), confidence,
    }));
    const words: Transcript['words'] = [];
    for (let i = 0; i < chars.length;) {
      if (chars[i] === ' ') { i++; continue; }
      let j = i;
      while (j < chars.length && chars[j] !== ' ') j++;
      const startFrame = h.timesteps[i]!, endFrame = h.timesteps[j - 1]!;
      words.push({ word: chars.slice(i, j).join(''), startFrame, endFrame, confidence, start: round(startFrame * secondsPerFrame), end: round((endFrame + 1) * secondsPerFrame) });
      i = j;
    }
    return {
      tokens: h.tokens, timesteps: h.timesteps, score: h.score, text: textOf(chars), words, confidence, tokenTimings,
      duration: durations[b]!,
      ...((decode.nBest ?? 1) > 1 ? { alternatives: nbest.map((x) => ({ text: textOf(x.tokens.map((k) => tokenizer.decode([k]))), score: x.score })) } : {}),
    };
  });
}

/** The words of a label sequence's characters, single spaces between them. */
function textOf(chars: readonly string[]): string {
  return chars.join('').split(' ').filter((w) => w !== '').join(' ');
}
