/**
 * Log-mel filterbank features compatible with Kaldi's compute-fbank-feats and
 * torchaudio.compliance.kaldi.fbank: frames of 25 ms every 10 ms, per-frame DC removal,
 * pre-emphasis, a Povey window, zero padding to a power of two, the power spectrum, and
 * triangular mel filters. The defaults are torchaudio's.
 */
import FFT from 'fft.js';
import { Random } from '../math/random.js';
import { addDeltas } from './deltas.js';
import type { Features } from './features.js';
import { featureWindow } from './feature-window.js';
import type { WindowType } from './feature-window.js';
import { melBanks } from './mel-banks.js';
import type { MelBanks } from './mel-banks.js';

/** Options of {@link fbank}; every field has torchaudio.compliance.kaldi.fbank's default. */
export interface FbankOptions {
  /** Mel filters. Default 23 (Kaldi's); speech models usually take 40 or 80. */
  numMelBins?: number;
  /** Frame length in ms. Default 25. */
  frameLengthMs?: number;
  /** Frame shift in ms. Default 10. */
  frameShiftMs?: number;
  /** Pre-emphasis coefficient in [0, 1]. Default 0.97. */
  preemphasis?: number;
  /** Subtract each frame's mean. Default true. */
  removeDcOffset?: boolean;
  /** Default 'povey'. */
  windowType?: WindowType;
  /** Constant of the Blackman window. Default 0.42. */
  blackmanCoeff?: number;
  /** Lowest mel frequency in Hz. Default 20. */
  lowFreq?: number;
  /** Highest mel frequency in Hz; <= 0 is an offset from Nyquist. Default 0. */
  highFreq?: number;
  /** Add the log energy of each frame as a column (Kaldi use_energy). Default false. */
  useEnergy?: boolean;
  /** Floor on the energy (not log energy); 0 for none. Default 1 (torchaudio's). */
  energyFloor?: number;
  /** Energy before pre-emphasis and windowing. Default true. */
  rawEnergy?: boolean;
  /** Energy as the last column instead of the first. Default false. */
  htkCompat?: boolean;
  /** Log of the filterbank energies. Default true. */
  useLogFbank?: boolean;
  /** Power (true) or magnitude spectrum. Default true. */
  usePower?: boolean;
  /** Only frames that fit wholly in the signal (true), or one frame per shift with reflected edges. Default true. */
  snipEdges?: boolean;
  /** Zero-pad the frame to a power of two for the FFT. Default true. */
  roundToPowerOfTwo?: boolean;
  /** Gaussian dither added to the int16-scaled samples. Default 0. */
  dither?: number;
  /** Seed of the dither noise. Default 0. */
  ditherSeed?: number;
  /** Subtract the per-utterance mean of each column (not recommended; see CMVN). Default false. */
  subtractMean?: boolean;
  /** Append deltas (1) or deltas and delta-deltas (2). Default 0. */
  deltaOrder?: number;
  /** Half-width of the delta regression window. Default 2. */
  deltaWindow?: number;
}

type Resolved = Required<FbankOptions>;

const DEFAULTS: Resolved = {
  numMelBins: 23, frameLengthMs: 25, frameShiftMs: 10, preemphasis: 0.97, removeDcOffset: true,
  windowType: 'povey', blackmanCoeff: 0.42, lowFreq: 20, highFreq: 0, useEnergy: false, energyFloor: 1,
  rawEnergy: true, htkCompat: false, useLogFbank: true, usePower: true, snipEdges: true,
  roundToPowerOfTwo: true, dither: 0, ditherSeed: 0, subtractMean: false, deltaOrder: 0, deltaWindow: 2,
};

/** float32 machine epsilon: Kaldi's floor inside every log. */
const EPS = 1.1920928955078125e-7;

/** Kaldi's samples are int16-valued; sayre's are in [-1, 1). */
const INT16_SCALE = 32768;

/**
 * A filterbank extractor for one sample rate and option set: the window, mel filters and
 * FFT plan are built once and the frame buffers reused, so extracting many utterances
 * allocates only their outputs.
 */
export class FbankExtractor {
  readonly options: Readonly<Resolved>;
  readonly sampleRate: number;
  readonly windowSize: number;
  readonly windowShift: number;
  readonly paddedSize: number;
  /** Columns per frame before deltas. */
  readonly staticDim: number;
  /** Columns per output frame. */
  readonly dim: number;
  /** The analysis window times 32768. */
  private readonly scaledWindow: Float64Array;
  private readonly banks: MelBanks;
  private readonly fft: FFT;
  /** A frame copied out for reflection or dither. */
  private readonly frame: Float32Array;
  private readonly fftIn: Float64Array;
  private readonly spectrum: Float64Array;
  /** Per FFT bin: the two mel filters it feeds (numMelBins: a dummy slot) and their weights. */
  private readonly binFilter0: Int32Array;
  private readonly binFilter1: Int32Array;
  private readonly binWeight0: Float64Array;
  private readonly binWeight1: Float64Array;
  /** Mel energies of the two frames of a pair, plus the dummy slot. */
  private readonly accA: Float64Array;
  private readonly accB: Float64Array;

  constructor(sampleRate: number, options: FbankOptions = {}) {
    const o: Resolved = { ...DEFAULTS };
    for (const [k, v] of Object.entries(options)) {
      if (v === undefined) continue;
      if (!(k in DEFAULTS)) throw new Error(`fbank: unknown option ${JSON.stringify(k)}`);
      (o as unknown as Record<string, unknown>)[k] = v;
    }
    this.options = o;
    if (!(sampleRate > 0) || !Number.isFinite(sampleRate)) throw new Error(`fbank: bad sample rate ${sampleRate}`);
    this.sampleRate = sampleRate;
    this.windowShift = Math.trunc(sampleRate * o.frameShiftMs * 0.001);
    this.windowSize = Math.trunc(sampleRate * o.frameLengthMs * 0.001);
    if (this.windowSize < 2) throw new Error(`fbank: frame of ${o.frameLengthMs} ms is under 2 samples at ${sampleRate} Hz`);
    if (this.windowShift < 1) throw new Error(`fbank: frame shift of ${o.frameShiftMs} ms is under 1 sample at ${sampleRate} Hz`);
    this.paddedSize = o.roundToPowerOfTwo ? 2 ** Math.ceil(Math.log2(this.windowSize)) : this.windowSize;
    if (this.paddedSize % 2 !== 0) throw new Error(`fbank: padded window ${this.paddedSize} is odd; set roundToPowerOfTwo`);
    if (!(o.preemphasis >= 0 && o.preemphasis <= 1)) throw new Error(`fbank: preemphasis ${o.preemphasis} is outside [0, 1]`);
    if (!(o.deltaOrder >= 0 && o.deltaOrder <= 2 && Number.isInteger(o.deltaOrder))) throw new Error(`fbank: deltaOrder must be 0, 1 or 2, got ${o.deltaOrder}`);
    // fft.js needs a power of two of at least 4; other sizes cannot use it.
    if (this.paddedSize < 4 || (this.paddedSize & (this.paddedSize - 1)) !== 0) {
      throw new Error(`fbank: the FFT needs a power-of-two frame; ${this.paddedSize} is not (set roundToPowerOfTwo)`);
    }
    this.scaledWindow = featureWindow(o.windowType, this.windowSize, o.blackmanCoeff).map((w) => w * INT16_SCALE);
    this.banks = melBanks(o.numMelBins, this.paddedSize, sampleRate, o.lowFreq, o.highFreq);
    this.fft = new FFT(this.paddedSize);
    this.frame = new Float32Array(this.windowSize);
    this.fftIn = new Float64Array(2 * this.paddedSize);
    this.spectrum = new Float64Array(2 * this.paddedSize);
    [this.binFilter0, this.binWeight0, this.binFilter1, this.binWeight1] = binTables(this.banks, this.paddedSize / 2);
    this.accA = new Float64Array(o.numMelBins + 1);
    this.accB = new Float64Array(o.numMelBins + 1);
    this.staticDim = o.numMelBins + (o.useEnergy ? 1 : 0);
    this.dim = this.staticDim * (o.deltaOrder + 1);
  }

  /** Frames produced from `numSamples` samples. */
  numFrames(numSamples: number): number {
    const { windowSize: size, windowShift: shift } = this;
    if (this.options.snipEdges) return numSamples < size ? 0 : 1 + Math.floor((numSamples - size) / shift);
    return Math.floor((numSamples + Math.floor(shift / 2)) / shift);
  }

  /** Features of `samples` (mono, in [-1, 1)): frames x dim. */
  compute(samples: Float32Array): Features {
    const o = this.options;
    const n = samples.length;
    const frames = this.numFrames(n);
    const sd = this.staticDim;
    const out = new Float32Array(frames * sd);
    const { windowSize: size, windowShift: shift, frame } = this;
    const melCol = o.useEnergy && !o.htkCompat ? 1 : 0;
    const energyCol = o.htkCompat ? o.numMelBins : 0;
    const logFloor = o.energyFloor > 0 ? Math.log(o.energyFloor) : -Infinity;
    const rng = o.dither !== 0 ? new Random(o.ditherSeed) : undefined;
    // Without snipEdges, frames start half a window early and the signal is mirrored at its ends.
    const pad = o.snipEdges ? 0 : Math.floor(size / 2) - Math.floor(shift / 2);
    if (!o.snipEdges && n === 0 && frames > 0) throw new Error('fbank: cannot reflect an empty signal');
    const energies = o.useEnergy ? new Float64Array(frames) : undefined;
    // Two real frames go through one complex FFT (A as the real part, B as the imaginary).
    for (let t = 0; t < frames; t += 2) {
      const pair = t + 1 < frames;
      for (let f = 0; f < (pair ? 2 : 1); f++) {
        const begin = (t + f) * shift - pad;
        let src = samples;
        let off = begin;
        if (begin < 0 || begin + size > n || rng) {
          for (let i = 0; i < size; i++) frame[i] = samples[reflect(begin + i, n)]!;
          if (rng) for (let i = 0; i < size; i++) frame[i]! += rng.normal() * (o.dither / INT16_SCALE);
          src = frame;
          off = 0;
        }
        const e = this.windowFrame(src, off, f);
        if (energies) energies[t + f] = e;
      }
      if (!pair) for (let i = 0; i < size; i++) this.fftIn[2 * i + 1] = 0;
      this.fft.transform(this.spectrum, this.fftIn);
      this.melEnergies(out, t * sd + melCol, pair ? (t + 1) * sd + melCol : -1);
    }
    if (energies) {
      for (let t = 0; t < frames; t++) {
        const e = energies[t]!;
        out[t * sd + energyCol] = Math.max(Math.log(e > EPS ? e : EPS), logFloor);
      }
    }
    let feats: Features = { data: out, frames, dim: sd };
    if (o.subtractMean) subtractColumnMeans(feats);
    if (o.deltaOrder > 0) feats = addDeltas(feats, o.deltaOrder, o.deltaWindow);
    return feats;
  }

  /**
   * Removes the DC offset of src[off .. off + windowSize), pre-emphasises it (x[-1] taken
   * as x[0], as Kaldi does) and windows it into the real (part 0) or imaginary (part 1)
   * lanes of `fftIn`, in one pass; the int16 scale is folded into the window. Returns the
   * frame's energy (0 unless useEnergy).
   */
  private windowFrame(src: Float32Array, off: number, part: number): number {
    const o = this.options;
    const { windowSize: size, fftIn, scaledWindow: win } = this;
    let mean = 0;
    if (o.removeDcOffset) {
      // Four partial sums: one running sum would wait on each add's latency.
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let i = 0;
      for (; i + 3 < size; i += 4) {
        s0 += src[off + i]!;
        s1 += src[off + i + 1]!;
        s2 += src[off + i + 2]!;
        s3 += src[off + i + 3]!;
      }
      for (; i < size; i++) s0 += src[off + i]!;
      mean = (s0 + s1 + s2 + s3) / size;
    }
    let energy = 0;
    if (o.useEnergy && o.rawEnergy) {
      for (let i = 0; i < size; i++) { const v = src[off + i]! - mean; energy += v * v; }
      energy *= INT16_SCALE * INT16_SCALE;
    }
    const c = o.preemphasis;
    const dc = (1 - c) * mean;
    let prev = src[off]!;
    fftIn[part] = win[0]! * (prev - mean) * (1 - c);
    for (let i = 1; i < size; i++) {
      const x = src[off + i]!;
      fftIn[2 * i + part] = win[i]! * (x - c * prev - dc);
      prev = x;
    }
    // Lanes past windowSize stay zero: nothing ever writes there.
    if (o.useEnergy && !o.rawEnergy) {
      for (let i = 0; i < size; i++) energy += fftIn[2 * i + part]! * fftIn[2 * i + part]!;
    }
    return energy;
  }

  /**
   * Splits the complex spectrum of two packed real frames, Z = FFT(a + i b), into their
   * power spectra, A[k] = (Z[k] + conj Z[N-k]) / 2 and B[k] = (Z[k] - conj Z[N-k]) / 2i,
   * feeds each bin to its (at most two) mel filters, and writes the (log) mel energies of
   * a to out[rowA ..] and of b to out[rowB ..] (rowB < 0: none).
   */
  private melEnergies(out: Float32Array, rowA: number, rowB: number): void {
    const { spectrum: z, accA, accB, binFilter0: f0, binWeight0: w0, binFilter1: f1, binWeight1: w1 } = this;
    const size = this.paddedSize;
    const half = size / 2;
    const mag = !this.options.usePower;
    accA.fill(0);
    accB.fill(0);
    for (let k = 0, j = 0; k < half; k++, j = 2 * (size - k)) {
      // |Z[k] +- conj Z[N-k]|^2 is 4 |X[k]|^2; the 1/4 (1/2 for magnitudes) is applied below.
      const a = z[2 * k]!, b = z[2 * k + 1]!, c = z[j]!, d = z[j + 1]!;
      const s1 = a + c, d1 = b - d, s2 = b + d, d2 = a - c;
      let pa = s1 * s1 + d1 * d1;
      let pb = s2 * s2 + d2 * d2;
      if (mag) { pa = Math.sqrt(pa); pb = Math.sqrt(pb); }
      const m0 = f0[k]!, m1 = f1[k]!, v0 = w0[k]!, v1 = w1[k]!;
      accA[m0]! += pa * v0;
      accA[m1]! += pa * v1;
      accB[m0]! += pb * v0;
      accB[m1]! += pb * v1;
    }
    this.writeRow(accA, out, rowA);
    if (rowB >= 0) this.writeRow(accB, out, rowB);
  }

  private writeRow(acc: Float64Array, out: Float32Array, row: number): void {
    const n = this.banks.numBins;
    const scale = this.options.usePower ? 0.25 : 0.5;
    if (this.options.useLogFbank) {
      for (let m = 0; m < n; m++) { const v = acc[m]! * scale; out[row + m] = Math.log(v > EPS ? v : EPS); }
    } else {
      for (let m = 0; m < n; m++) out[row + m] = acc[m]! * scale;
    }
  }
}

/**
 * Kaldi's triangles overlap by half, so every FFT bin feeds at most two filters: tables of
 * those two (filter, weight) pairs per bin let one pass over the spectrum fill every filter.
 */
function binTables(banks: MelBanks, bins: number): [Int32Array, Float64Array, Int32Array, Float64Array] {
  const f0 = new Int32Array(bins).fill(banks.numBins);
  const f1 = new Int32Array(bins).fill(banks.numBins);
  const w0 = new Float64Array(bins);
  const w1 = new Float64Array(bins);
  for (let m = 0; m < banks.numBins; m++) {
    for (let i = 0; i < banks.length[m]!; i++) {
      const k = banks.start[m]! + i;
      const w = banks.weights[banks.offset[m]! + i]!;
      if (w === 0) continue;
      if (w0[k] === 0) { f0[k] = m; w0[k] = w; } else if (w1[k] === 0) { f1[k] = m; w1[k] = w; } else {
        throw new Error(`fbank: FFT bin ${k} falls in more than two mel filters`);
      }
    }
  }
  return [f0, w0, f1, w1];
}

/** Index i mirrored into [0, n) the way Kaldi pads: ..., x1, x0 | x0, x1, ... | xn-1, xn-2, ... */
function reflect(i: number, n: number): number {
  for (;;) {
    if (i < 0) i = -i - 1;
    else if (i >= n) i = 2 * n - 1 - i;
    else return i;
  }
}

function subtractColumnMeans(f: Features): void {
  if (f.frames === 0) return;
  const mean = new Float64Array(f.dim);
  for (let t = 0; t < f.frames; t++) for (let d = 0; d < f.dim; d++) mean[d]! += f.data[t * f.dim + d]!;
  for (let d = 0; d < f.dim; d++) mean[d]! /= f.frames;
  for (let t = 0; t < f.frames; t++) for (let d = 0; d < f.dim; d++) f.data[t * f.dim + d]! -= mean[d]!;
}

/** Recently used extractors, so that repeated fbank() calls skip the set-up. */
const cache = new Map<string, FbankExtractor>();
const CACHE_SIZE = 8;

/**
 * Log-mel filterbank features of mono `samples` in [-1, 1) at `sampleRate` Hz, computed as
 * Kaldi does on the same samples times 32768 (int16 scale). Returns frames x dim, where
 * dim = (numMelBins + useEnergy) x (deltaOrder + 1).
 */
export function fbank(samples: Float32Array, sampleRate: number, options: FbankOptions = {}): Features {
  const key = `${sampleRate}:${JSON.stringify(options)}`;
  let ex = cache.get(key);
  if (!ex) {
    ex = new FbankExtractor(sampleRate, options);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, ex);
  } else {
    cache.delete(key); // refresh recency
    cache.set(key, ex);
  }
  return ex.compute(samples);
}
