/**
 * The recogniser: a loaded model directory and the code to turn audio into text with
 * timings. The CLI's `transcribe` and `eval` are thin shells over it.
 *
 * ```ts
 * const rec = Recognizer.load();                 // the bundled English model
 * const t = rec.transcribeFile('samples/hello.wav');
 * console.log(t.text, t.words[0].start, t.confidence);
 * ```
 */
import type { Features } from '../audio/features.js';
import { readWav } from '../audio/wav-read.js';
import type { Backend } from '../backend/index.js';
import { batchEpoch } from '../data/batching.js';
import type { CharTokenizer } from '../data/char-tokenizer.js';
import type { Hypothesis, WordTiming } from '../decode/hypothesis.js';
import type { CtcBeamSearchDecoder } from '../decode/prefix-beam-search.js';
import type { TransducerDecodeOptions } from '../model/transducer-evaluate.js';
import { RnntModel } from '../model/transducer-model.js';
import { transducerTranscripts } from '../model/transducer-transcripts.js';
import { bestPaths } from './best-path.js';
import { bundledModelDir } from './default-model.js';
import { computeFeatures, frameSeconds } from './front-end.js';
import { type LoadedModel, loadModelDir, modelFromBytes } from './model-dir.js';
import { padFeatures } from './pad-batch.js';

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

/** The labels of a tokenizer's classes, blank first (its string is never shown). */
export function tokenizerLabels(tokenizer: CharTokenizer): string[] {
  return ['', ...Array.from(tokenizer.alphabet)];
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

/** How {@link Recognizer.transcribeFeatures} decodes. */
export interface DecodeOptions {
  /** Padded frames per batch (default 20000). */
  maxFrames?: number;
  /** Prefix beam search (with its LM and hotwords) instead of best path; CTC models only. */
  beam?: CtcBeamSearchDecoder;
  /** How an RNN-T model decodes (default greedy): beam search, LM fusion; RNN-T models only. */
  transducer?: TransducerDecodeOptions;
}

/** Options of {@link Recognizer.load}. */
export interface RecognizerOptions {
  backend?: Backend;
}

/** A speech recogniser over one model directory. */
export class Recognizer {
  constructor(readonly loaded: LoadedModel) {}

  /** Loads a model directory; by default the bundled English model. */
  static load(dir: string = bundledModelDir(), options: RecognizerOptions = {}): Recognizer {
    return new Recognizer(loadModelDir(dir, options));
  }

  /**
   * A recogniser from a model directory's two files given as their contents: config.json's
   * text and model.safetensors' bytes (fetched over HTTP in a browser, say). `name` stands
   * for the directory in errors.
   */
  static fromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: RecognizerOptions = {}): Recognizer {
    return new Recognizer(modelFromBytes(configJson, weights, name, options));
  }

  /** The model's own sample rate (other rates are resampled to it). */
  get sampleRate(): number {
    return this.loaded.frontEnd.sampleRate;
  }

  /** Seconds per model output frame (the feature shift times the model's frame stride). */
  get secondsPerFrame(): number {
    return frameSeconds(this.loaded.frontEnd) * this.loaded.model.config.frameStride;
  }

  /** Normalised features of mono samples in [-1, 1) at `sampleRate` Hz. */
  features(samples: Float32Array, sampleRate: number): Features {
    return computeFeatures(samples, sampleRate, this.loaded.frontEnd, this.loaded.cmvn);
  }

  /** Transcribes mono samples in [-1, 1) at any sample rate. */
  transcribe(samples: Float32Array, sampleRate: number, options: DecodeOptions = {}): Transcript {
    const t = this.transcribeFeatures([this.features(samples, sampleRate)], options)[0]!;
    t.duration = samples.length / sampleRate;
    return t;
  }

  /** Transcribes a WAV file (any rate, channels mixed to mono). */
  transcribeFile(path: string, options: DecodeOptions = {}): Transcript {
    const audio = readWav(path);
    return this.transcribe(audio.samples, audio.sampleRate, options);
  }

  /**
   * Transcribes many utterances' features in length-sorted batches of at most
   * `maxFrames` padded frames (default 20000); results are in input order. With
   * `options.beam`, decodes by prefix beam search rather than best path.
   */
  transcribeFeatures(items: readonly Features[], options: DecodeOptions = {}): Transcript[] {
    const out: Transcript[] = new Array(items.length);
    if (items.length === 0) return out;
    const { model, tokenizer } = this.loaded;
    const frameSec = frameSeconds(this.loaded.frontEnd);
    if (options.beam && model instanceof RnntModel) throw new Error('the CTC prefix beam search needs a CTC model; this is an RNN-T model (pass transducer options, see decoderOptionsFor)');
    if (options.transducer && !(model instanceof RnntModel)) throw new Error('transducer decoding options need an RNN-T model; this is a CTC model');
    // Audio shorter than one feature frame has nothing to decode.
    const empty = (i: number): Transcript => ({ tokens: [], timesteps: [], score: 0, text: '', words: [], confidence: 1, tokenTimings: [], duration: items[i]!.frames * frameSec });
    const batches = batchEpoch(items.map((f) => f.frames), { maxFrames: options.maxFrames ?? 20000, seed: 0, shuffle: false }, 0)
      .map((idx) => idx.filter((i) => {
        if (items[i]!.frames > 0) return true;
        out[i] = empty(i);
        return false;
      }))
      .filter((idx) => idx.length > 0);
    for (const idx of batches) {
      const batch = padFeatures(items, idx);
      const durations = idx.map((i) => items[i]!.frames * frameSec);
      let ts: Transcript[];
      if (model instanceof RnntModel) {
        ts = transducerTranscripts(model, batch.x, batch.shape, batch.lengths, tokenizer, this.secondsPerFrame, durations, options.transducer);
      } else {
        const y = model.infer(batch.x, batch.shape, batch.lengths);
        ts = options.beam
          ? beamTranscripts(y.logits, y.shape, y.lengths, options.beam, this.secondsPerFrame, durations)
          : transcribeLogits(y.logits, y.shape, y.lengths, tokenizer, this.secondsPerFrame, durations);
      }
      idx.forEach((i, b) => { out[i] = ts[b]!; });
    }
    return out;
  }
}
