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
import type { Features } from '../util/features.js';
import { readWav } from '../audio/wav-read.js';
import type { Backend } from '../backend/index.js';
import { batchEpoch } from '../data/batching.js';
import type { CtcBeamSearchDecoder } from '../decode/prefix-beam-search.js';
import type { TransducerDecodeOptions } from '../model/transducer-evaluate.js';
import { RnntModel } from '../model/transducer-model.js';
import { transducerTranscripts } from '../model/transducer-transcripts.js';
import { type Transcript, beamTranscripts, transcribeLogits } from '../decode/transcript.js';
import { bundledModelDir } from './default-model.js';
import { computeFeatures, frameSeconds } from '../audio/front-end.js';
import { type LoadedModel, loadModelDir, modelFromBytes } from '../model/io/model-dir.js';
import { padFeatures } from '../data/pad-batch.js';

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
