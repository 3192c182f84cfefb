/**
 * The speech front end of a model (see front-end.ts) over a stream: samples at any rate in
 * chunks -> resampled to the model's rate -> log-mel filterbank -> sliding-window CMVN when
 * the model has it -> CMVN with the model's global statistics (causal: one fixed affine map
 * per column). A front end with per-utterance normalisation cannot stream. The features of a stream
 * equal {@link computeFeatures} on the whole signal bit for bit, whatever the chunk sizes.
 */
import type { Cmvn } from './cmvn.js';
import { FbankStream } from './fbank-stream.js';
import { createSlidingCmvn, type FrontEndConfig, unstreamableFrontEndReason } from './front-end.js';
import { ResampleStream } from './resample-stream.js';
import type { SlidingCmvnStream } from './sliding-cmvn.js';
import type { Features } from '../util/features.js';

/** Incremental features of one stream of mono samples. */
export class FrontEndStream {
  private readonly fbank: FbankStream;
  private readonly sliding: SlidingCmvnStream | undefined;
  private resampler: ResampleStream | undefined;
  private inputRate: number | undefined;
  private finished = false;
  /** Samples received, at the input's rate. */
  samplesIn = 0;

  constructor(readonly config: FrontEndConfig, readonly cmvn?: Cmvn) {
    const why = unstreamableFrontEndReason(config);
    if (why) throw new Error(`front end stream: this front end cannot be streamed: ${why}`);
    this.fbank = new FbankStream(config.sampleRate, config.fbank);
    this.sliding = createSlidingCmvn(config, this.fbank.dim);
  }

  /** Columns per frame. */
  get dim(): number {
    return this.fbank.dim;
  }

  /** Feature frames produced so far. */
  get frames(): number {
    return this.fbank.frames;
  }

  /** The sample rate of the input (fixed by the first chunk). */
  get sampleRate(): number | undefined {
    return this.inputRate;
  }

  /**
   * Adds mono samples in [-1, 1) at `sampleRate` Hz (the same rate for the whole stream);
   * returns the normalised frames they complete. Throws for non-finite samples.
   */
  accept(samples: Float32Array, sampleRate: number): Features {
    if (this.finished) throw new Error('front end stream: samples after the input was finished (reset it first)');
    if (this.inputRate === undefined) {
      if (!(sampleRate >= 1) || !Number.isFinite(sampleRate)) throw new Error(`front end stream: bad sample rate ${sampleRate}`);
      this.inputRate = sampleRate;
      if (sampleRate !== this.config.sampleRate) this.resampler = new ResampleStream(sampleRate, this.config.sampleRate);
    } else if (sampleRate !== this.inputRate) {
      throw new Error(`front end stream: sample rate changed from ${this.inputRate} to ${sampleRate} Hz within a stream`);
    }
    for (let i = 0; i < samples.length; i++) {
      if (!Number.isFinite(samples[i]!)) throw new Error(`audio sample ${this.samplesIn + i} is not a finite number: ${samples[i]}`);
    }
    this.samplesIn += samples.length;
    return this.features(this.resampler ? this.resampler.accept(samples) : samples);
  }

  /** The input has ended: the frames its last samples complete (the resampler's tail). */
  finish(): Features {
    this.finished = true;
    return this.features(this.resampler ? this.resampler.finish() : new Float32Array(0));
  }

  /** Forgets the stream (the sample rate too). */
  reset(): void {
    this.fbank.reset();
    this.sliding?.reset();
    this.resampler = undefined;
    this.inputRate = undefined;
    this.finished = false;
    this.samplesIn = 0;
  }

  private features(samples: Float32Array): Features {
    const raw = this.fbank.accept(samples);
    const f = this.sliding ? this.sliding.accept(raw) : raw;
    return this.cmvn && f.frames > 0 ? this.cmvn.apply(f) : f;
  }
}
