/**
 * One utterance through a recogniser, as the JSON that `POST /transcribe` answers and the
 * demo page shows, from the recogniser's transcript. No Node module here: the browser
 * build uses it too.
 */
import type { Decoder } from '../decode/decoder.js';
import type { Transcript } from '../decode/transcript.js';
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
 * Transcribes mono samples in [-1, 1) at any rate with `decoder` (default the recogniser's default decoder), as the
 * JSON the service answers, with the output matrix it came from (an RNN-T model has none:
 * 0 frames).
 */
export function decodeUtterance(rec: Recognizer, samples: Float32Array, sampleRate: number, model: string, decoder: Decoder = rec.defaultDecoder): DecodedUtterance {
  return utteranceOf(rec.transcribe(samples, sampleRate, { decoder, keepOutput: true }), model, decoder);
}

/** {@link decodeUtterance} on any backend, a device backend (webgpu) included (Recognizer.transcribeAsync). */
export async function decodeUtteranceAsync(rec: Recognizer, samples: Float32Array, sampleRate: number, model: string, decoder: Decoder = rec.defaultDecoder): Promise<DecodedUtterance> {
  return utteranceOf(await rec.transcribeAsync(samples, sampleRate, { decoder, keepOutput: true }), model, decoder);
}

function utteranceOf(t: Transcript, model: string, decoder: Decoder): DecodedUtterance {
  const words = t.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) }));
  const result: TranscriptionJson = {
    text: t.text, words, confidence: round(t.confidence), duration: round(t.duration, 3), model, decoder: decoder.search,
  };
  const output = t.output!;
  return { result, logits: output.logits, frames: output.frames, classes: output.classes };
}

/** The labels of a recogniser's output classes (blank first, shown as '_'), for drawings. */
export function outputLabels(rec: Recognizer): string[] {
  return rec.labels.map((l, i) => (i === rec.loaded.tokenizer.blank ? '_' : l === ' ' ? '␣' : l));
}
