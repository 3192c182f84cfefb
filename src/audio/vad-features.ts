/**
 * The trained VAD's input, one vector per 10 ms frame, computed causally: the vector of a
 * frame depends on the samples up to that frame's end and on nothing later, so a live
 * stream can decide each frame as soon as its last sample arrives.
 *
 * Per frame, from the window (`windowMs`) that ends where the frame ends (the stream is
 * preceded by zeros so that the first frames have a window too):
 * - channels: the log-mel energies (a few bands of the telephone band, so that 8 kHz audio
 *   works too) and the frame's full-band energy in dBFS (the energy VAD's one input);
 * - each channel's height above its noise floor (noise-floor.ts), for this frame and a few
 *   past ones (`context`): how far the frame stands out from the background, per band;
 * - the spectral shape of this frame (log-mel minus its mean): voiced speech is harmonic
 *   and tilted, most noises are not;
 * - its depth below the loudest of the last few seconds (the labels' rule, "speech is within
 *   35 dB of the utterance's loudest frame", as far as a causal detector can know it);
 * - its absolute level, and running averages of its full-band height (about 0.1, 0.5 and 2 s)
 *   and the spread of that height over about 2 s: short averages see the gaps between
 *   words as inside speech; the long ones tell a background that never pauses (babble,
 *   whose every frame is speech-like and stands a little above its quietest) from speech
 *   with pauses.
 * Levels are in dB / 10, so that every input is of order one.
 */
import { FbankExtractor } from './fbank.js';
import { NoiseFloor } from './noise-floor.js';
import { energyDb } from './vad.js';
import type { Features } from '../util/features.js';

/** What the features are: fixed by a trained model (it is stored with the weights). */
export interface VadFeatureConfig {
  /** Milliseconds of audio each frame's spectrum is taken over, ending where the frame ends (10: the frame itself). */
  windowMs: number;
  /** Mel bands. */
  melBins: number;
  /** Their range in Hz. */
  lowFreq: number;
  highFreq: number;
  /** Seconds of past frames the noise floor is the minimum of. */
  floorSeconds: number;
  /** Past frames (0 is the frame itself) whose heights above the floor are inputs. */
  context: readonly number[];
}

export const DEFAULT_VAD_FEATURES: VadFeatureConfig = { windowMs: 25, melBins: 16, lowFreq: 100, highFreq: 4000, floorSeconds: 3, context: [0, 1, 2, 4, 8] };

/** Weights of the past in the running averages of the full-band height (time constants of 10, 50 and 200 frames). */
const RUNNING = [0.9, 0.98, 0.995];
/** ... and in the running mean square whose spread (with the last average) is an input. */
const SPREAD = RUNNING[RUNNING.length - 1]!;
/** 10 log10(e): natural-log mel energies to dB. */
const DB_PER_NEPER = 10 / Math.LN10;

/** Inputs per frame for `config`. */
export function vadFeatureDim(config: VadFeatureConfig): number {
  return (config.melBins + 1) * config.context.length + config.melBins + 2 + RUNNING.length + 1;
}

/** Throws unless `config` describes features that can be computed at `sampleRate`. */
function checkConfig(config: VadFeatureConfig, sampleRate: number): void {
  const { context } = config;
  if (context.length === 0 || context.some((k) => !Number.isInteger(k) || k < 0)) throw new Error(`VAD features: context must be frame offsets >= 0, got [${context.join(', ')}]`);
  if (!(config.windowMs >= 10)) throw new Error(`VAD features: windowMs must be at least the 10 ms frame, got ${config.windowMs}`);
  if (!(config.floorSeconds > 0)) throw new Error(`VAD features: floorSeconds must be > 0, got ${config.floorSeconds}`);
  if (config.highFreq > sampleRate / 2) throw new Error(`VAD features: audio at ${sampleRate} Hz has no ${config.highFreq} Hz band (the trained VAD needs at least ${2 * config.highFreq} Hz)`);
}

/** The features of one stream, chunk by chunk (see the module comment). */
export class VadFeatureStream {
  readonly dim: number;
  /** Samples per frame (10 ms). */
  readonly frameSamples: number;
  private readonly extractor: FbankExtractor;
  private readonly melBins: number;
  private readonly context: readonly number[];
  /** The last (window - frame) samples before the partial frame: the start of the next window. */
  private readonly history: Float32Array;
  private readonly partial: Float32Array;
  private filled = 0;
  private readonly floor: NoiseFloor;
  /** The recent peak of the full-band level, as the floor of its negation. */
  private readonly peak: NoiseFloor;
  private readonly peakLevel = new Float64Array(1);
  /** Heights above the floor of the last (max context + 1) frames, a ring of (melBins + 1) each. */
  private readonly heights: Float32Array;
  private readonly ringFrames: number;
  private readonly running = new Float64Array(RUNNING.length);
  private meanSquare = 0;
  /** Frames decided since the stream began. */
  private frame = 0;
  /** The first frames, whose windows reach into the zeros before the stream, stay out of the noise floor. */
  private readonly paddedFrames: number;
  private readonly levels: Float64Array;
  private readonly floorLevels: Float64Array;

  constructor(readonly sampleRate: number, readonly config: VadFeatureConfig = DEFAULT_VAD_FEATURES) {
    checkConfig(config, sampleRate);
    this.extractor = new FbankExtractor(sampleRate, { numMelBins: config.melBins, lowFreq: config.lowFreq, highFreq: config.highFreq, frameLengthMs: config.windowMs });
    this.frameSamples = this.extractor.windowShift;
    this.melBins = config.melBins;
    this.context = config.context;
    this.dim = vadFeatureDim(config);
    const lead = this.extractor.windowSize - this.frameSamples;
    this.history = new Float32Array(lead);
    this.paddedFrames = Math.ceil(lead / this.frameSamples);
    this.partial = new Float32Array(this.frameSamples);
    const C = config.melBins + 1;
    const window = Math.round((config.floorSeconds * sampleRate) / this.frameSamples);
    this.floor = new NoiseFloor(C, window);
    this.peak = new NoiseFloor(1, window);
    this.ringFrames = Math.max(...config.context) + 1;
    this.heights = new Float32Array(this.ringFrames * C);
    this.levels = new Float64Array(C);
    this.floorLevels = new Float64Array(C);
  }

  /** Adds samples; returns the feature rows of the frames they complete. */
  accept(samples: Float32Array): Features {
    const F = this.frameSamples, lead = this.history.length;
    const frames = Math.floor((this.filled + samples.length) / F);
    const data = new Float32Array(frames * this.dim);
    if (frames === 0) {
      this.partial.set(samples, this.filled);
      this.filled += samples.length;
      return { data, frames, dim: this.dim };
    }
    // The windows of the completed frames: the history, the partial frame, the new samples.
    const used = frames * F - this.filled;
    const windows = new Float32Array(lead + frames * F);
    windows.set(this.history);
    windows.set(this.partial.subarray(0, this.filled), lead);
    windows.set(samples.subarray(0, used), lead + this.filled);
    const mel = this.extractor.compute(windows);
    for (let f = 0; f < frames; f++) {
      this.frameFeatures(mel.data.subarray(f * this.melBins, (f + 1) * this.melBins), energyDb(windows, lead + f * F, F), data.subarray(f * this.dim, (f + 1) * this.dim));
    }
    this.history.set(windows.subarray(windows.length - lead));
    this.filled = samples.length - used;
    this.partial.set(samples.subarray(used));
    return { data, frames, dim: this.dim };
  }

  /** Forgets the partial frame (the noise floor and the past frames stay: they are the room's, not the utterance's). */
  reset(): void {
    this.filled = 0;
  }

  /** One frame's row from its log-mel energies (natural log) and full-band energy (dBFS). */
  private frameFeatures(mel: Float32Array, fullDb: number, out: Float32Array): void {
    const B = this.melBins, C = B + 1;
    const levels = this.levels, floor = this.floorLevels;
    let meanDb = 0;
    for (let b = 0; b < B; b++) {
      levels[b] = mel[b]! * DB_PER_NEPER;
      meanDb += levels[b]! / B;
    }
    levels[B] = fullDb;
    if (this.frame >= this.paddedFrames) {
      this.floor.update(levels, floor);
      this.peak.update([-fullDb], this.peakLevel);
    } else {
      floor.set(levels);
      this.peakLevel[0] = -fullDb;
    }
    const slot = (this.frame % this.ringFrames) * C;
    for (let c = 0; c < C; c++) this.heights[slot + c] = (levels[c]! - floor[c]!) / 10;
    let at = 0;
    for (const k of this.context) {
      // Frames before the stream began stand at the floor.
      if (k > this.frame) { out.fill(0, at, at + C); at += C; continue; }
      const from = ((this.frame - k) % this.ringFrames) * C;
      for (let c = 0; c < C; c++) out[at++] = this.heights[from + c]!;
    }
    for (let b = 0; b < B; b++) out[at++] = (levels[b]! - meanDb) / 10;
    out[at++] = (fullDb + this.peakLevel[0]!) / 10;
    out[at++] = fullDb / 10;
    const height = this.heights[slot + B]!;
    RUNNING.forEach((a, i) => {
      this.running[i] = a * this.running[i]! + (1 - a) * height;
      out[at++] = this.running[i]!;
    });
    this.meanSquare = SPREAD * this.meanSquare + (1 - SPREAD) * height * height;
    const mean = this.running[RUNNING.length - 1]!;
    out[at++] = Math.sqrt(Math.max(0, this.meanSquare - mean * mean));
    this.frame++;
  }
}
