/**
 * One utterance through a recogniser, as the JSON that `POST /transcribe` answers and the
 * demo page shows: best path, or prefix beam search with a language model when a decoder
 * is given (an RNN-T model: greedy, or its beam search). No Node module here: the browser
 * build uses it too.
 */
import type { CtcBeamSearchDecoder } from '../decode/prefix-beam-search.js';
import type { TransducerDecodeOptions } from '../model/transducer-evaluate.js';
import { RnntModel } from '../model/transducer-model.js';
import { tokenizerLabels } from '../data/char-tokenizer.js';
import { transcribeLogits } from '../decode/transcript.js';
import type { Recognizer } from './recognizer.js';

/** A word with its times in seconds. */
export interface WordJson {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** What the service returns for one utterance. */
export interface TranscriptionJson {
  text: string;
  words: WordJson[];
  /** Best path: geometric mean of its per-frame posteriors; beam search: of its words' confidences. */
  confidence: number;
  /** Seconds of audio. */
  duration: number;
  /** The model's name (its directory's name). */
  model: string;
  decoder: 'greedy' | 'beam';
}

/** A transcription and the network's output it came from. */
export interface DecodedUtterance {
  result: TranscriptionJson;
  /** Unnormalised scores [T, C] of the one utterance (time-major). */
  logits: Float32Array;
  frames: number;
  classes: number;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Transcribes mono samples in [-1, 1) at any rate; with `beam`, by prefix beam search (its
 * LM included). An RNN-T model decodes greedily, or as `transducer` says (beam search, LM
 * fusion); it has no output matrix, so its `logits` are empty (0 frames).
 */
export function decodeUtterance(
  rec: Recognizer, samples: Float32Array, sampleRate: number, model: string, beam?: CtcBeamSearchDecoder, transducer?: TransducerDecodeOptions,
): DecodedUtterance {
  const duration = round(samples.length / sampleRate, 3);
  const C = rec.loaded.model.config.numClasses;
  const decoder = beam || transducer ? 'beam' : 'greedy';
  if (rec.loaded.model instanceof RnntModel) {
    const t = rec.transcribe(samples, sampleRate, { transducer });
    const words = t.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) }));
    return { result: { text: t.text, words, confidence: round(t.confidence), duration, model, decoder }, logits: new Float32Array(0), frames: 0, classes: C };
  }
  const feats = rec.features(samples, sampleRate);
  if (feats.frames === 0) {
    return { result: { text: '', words: [], confidence: 1, duration, model, decoder }, logits: new Float32Array(0), frames: 0, classes: C };
  }
  const y = rec.loaded.model.infer(feats.data, [feats.frames, 1, feats.dim], Int32Array.of(feats.frames));
  const T = y.lengths[0]!;
  const logits = y.logits.subarray(0, T * C);
  const spf = rec.secondsPerFrame;
  if (!beam) {
    const t = transcribeLogits(logits, [T, 1, C], [T], rec.loaded.tokenizer, spf, [duration])[0]!;
    const words = t.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) }));
    return { result: { text: t.text, words, confidence: round(t.confidence), duration, model, decoder: 'greedy' }, logits, frames: T, classes: C };
  }
  const best = beam.decode(logits, [T, 1, C], [T])[0]![0];
  const words = (best?.words ?? []).map((w) => ({
    word: w.word, start: round(w.startFrame * spf, 3), end: round((w.endFrame + 1) * spf, 3), confidence: round(w.confidence ?? 1),
  }));
  const confidence = words.length === 0 ? 1 : Math.exp(words.reduce((s, w) => s + Math.log(Math.max(w.confidence, 1e-12)), 0) / words.length);
  return { result: { text: best?.text ?? '', words, confidence: round(confidence), duration, model, decoder: 'beam' }, logits, frames: T, classes: C };
}

/** The labels of a recogniser's output classes (blank first, shown as '_'), for drawings. */
export function outputLabels(rec: Recognizer): string[] {
  return tokenizerLabels(rec.loaded.tokenizer).map((l, i) => (i === rec.loaded.tokenizer.blank ? '_' : l === ' ' ? '␣' : l));
}
