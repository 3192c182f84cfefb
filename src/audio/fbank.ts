/**
 * Log-mel filterbank features compatible with Kaldi's compute-fbank-feats and
 * torchaudio.compliance.kaldi.fbank: frames of 25 ms every 10 ms, per-frame DC removal,
 * pre-emphasis, a Povey window, zero padding to a power of two, the power spectrum, and
 * triangular mel filters. The defaults are torchaudio's.
 */
import { Random } from '../math/random.js';
import { deltaEdgeRows, deltasInPlace } from './deltas.js';
import type { FrameKernel, FrameKernelConfig, FrameKernelKind } from './fbank-kernel.js';
import { createJsFrameKernel } from './fbank-js.js';
import { createWasmFrameKernel } from './fbank-wasm.js';
import type { Features } from '../util/features.js';
import { featureWindow } from './feature-window.js';
import type { WindowType } from './feature-window.js';
import { melBanks } from './mel-banks.js';

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

/** Kaldi's samples are int16-valued; sayre's are in [-1, 1). */
const INT16_SCALE = 32768;

/** Frames per kernel run: bounds the kernel's buffers (a few hundred kB) whatever the input length. */
const CHUNK_FRAMES = 128;

/**
 * A filterbank extractor for one sample rate and option set: the window, mel filters and
 * FFT tables are built once and the frame buffers reused, so extracting many utterances
 * allocates only their outputs. The frames run in WebAssembly SIMD where it loads, else in
 * TypeScript (see `kernel`; src/audio/fbank-kernel.ts says how closely the two agree).
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
  /** Which implementation computes the frames: 'wasm' or 'js'. */
  readonly kernel: FrameKernelKind;
  private readonly frames: FrameKernel;
  /** Where staged frames (reflected at an edge, or dithered) start in the kernel's samples. */
  private readonly stagingStart: number;
  /**
   * Frames computed beyond each side of a chunk so that the kernel can take the chunk's
   * deltas (order x window), or 0 where they are taken afterwards over the whole output:
   * no deltas, per-utterance mean subtraction (which must come first), or dither (a frame
   * computed twice would get different noise).
   */
  private readonly halo: number;

  /**
   * @param kernel 'js' forces the TypeScript frames (float64 throughout; for comparison and
   * tests); 'wasm', the default, falls back to them where WebAssembly SIMD does not load.
   */
  constructor(sampleRate: number, options: FbankOptions = {}, kernel: FrameKernelKind = 'wasm') {
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
    if (!(o.deltaWindow >= 1 && Number.isInteger(o.deltaWindow))) throw new Error(`fbank: deltaWindow must be a positive integer, got ${o.deltaWindow}`);
    // Both kernels' FFTs need a power of two of at least 4.
    if (this.paddedSize < 4 || (this.paddedSize & (this.paddedSize - 1)) !== 0) {
      throw new Error(`fbank: the FFT needs a power-of-two frame; ${this.paddedSize} is not (set roundToPowerOfTwo)`);
    }
    this.staticDim = o.numMelBins + (o.useEnergy ? 1 : 0);
    this.dim = this.staticDim * (o.deltaOrder + 1);
    this.halo = o.deltaOrder > 0 && !o.subtractMean && o.dither === 0 ? o.deltaOrder * o.deltaWindow : 0;
    const maxFrames = CHUNK_FRAMES + 2 * this.halo;
    this.stagingStart = (maxFrames - 1) * this.windowShift + this.windowSize;
    this.frames = createFrameKernel({
      fftSize: this.paddedSize,
      frameSize: this.windowSize,
      window: featureWindow(o.windowType, this.windowSize, o.blackmanCoeff).map((w) => w * INT16_SCALE),
      banks: melBanks(o.numMelBins, this.paddedSize, sampleRate, o.lowFreq, o.highFreq),
      preemphasis: o.preemphasis,
      removeDcOffset: o.removeDcOffset,
      energy: !o.useEnergy ? 'none' : o.rawEnergy ? 'raw' : 'windowed',
      usePower: o.usePower,
      useLog: o.useLogFbank,
      energyCol: o.htkCompat ? o.numMelBins : 0,
      logEnergyFloor: o.energyFloor > 0 ? Math.log(o.energyFloor) : -Infinity,
      stride: this.dim, // deltas, if any, go beside the static columns
      melCol: o.useEnergy && !o.htkCompat ? 1 : 0,
      maxFrames,
      // The chunk's stretch of signal, then room to stage every frame of a chunk.
      maxSamples: this.stagingStart + maxFrames * this.windowSize,
    }, kernel);
    this.kernel = this.frames.kind;
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
    const { staticDim: sd, dim, windowSize: size, windowShift: shift, frames: k, halo } = this;
    const out = new Float32Array(frames * dim);
    const rng = o.dither !== 0 ? new Random(o.ditherSeed) : undefined;
    // Without snipEdges, frames start half a window early and the signal is mirrored at its ends.
    const pad = o.snipEdges ? 0 : Math.floor(size / 2) - Math.floor(shift / 2);
    if (!o.snipEdges && n === 0 && frames > 0) throw new Error('fbank: cannot reflect an empty signal');
    for (let t0 = 0; t0 < frames; t0 += CHUNK_FRAMES) {
      const t1 = Math.min(frames, t0 + CHUNK_FRAMES);
      // Frames e0 .. e1 - 1: the chunk's, and the halo its deltas need.
      const e0 = Math.max(0, t0 - halo);
      const count = Math.min(frames, t1 + halo) - e0;
      // The signal those frames cover, as far as it exists, goes to the kernel's buffer.
      const lo = Math.max(0, e0 * shift - pad);
      const hi = Math.min(n, (e0 + count - 1) * shift - pad + size);
      if (!rng && hi > lo) k.samples.set(samples.subarray(lo, hi));
      let staged = this.stagingStart;
      for (let j = 0; j < count; j++) {
        const begin = (e0 + j) * shift - pad;
        if (begin >= 0 && begin + size <= n && !rng) {
          k.starts[j] = begin - lo;
          continue;
        }
        // A frame over an edge (mirrored) or a dithered one is copied out on its own.
        const s = k.samples;
        for (let i = 0; i < size; i++) s[staged + i] = samples[reflect(begin + i, n)]!;
        if (rng) for (let i = 0; i < size; i++) s[staged + i]! += rng.normal() * (o.dither / INT16_SCALE);
        k.starts[j] = staged;
        staged += size;
      }
      k.run(count);
      if (halo > 0) {
        // Order i away from the ends, for the chunk's rows and the (order - i) x window
        // rows either side that order i + 1 reads.
        const { deltaOrder: order, deltaWindow: w } = o;
        for (let i = 1; i <= order; i++) {
          const from = Math.max(t0 - (order - i) * w, i * w);
          const to = Math.min(t1 + (order - i) * w, frames - i * w);
          if (from < to) k.deltaRows(from - e0, to - e0, sd, i, w);
        }
      }
      out.set(k.out.subarray((t0 - e0) * dim, (t1 - e0) * dim), t0 * dim);
    }
    if (halo > 0) {
      deltaEdgeRows(out, frames, dim, sd, o.deltaOrder, o.deltaWindow);
    } else {
      if (o.subtractMean) subtractColumnMeans(out, frames, dim, sd);
      if (o.deltaOrder > 0) deltasInPlace(out, frames, dim, sd, o.deltaOrder, o.deltaWindow);
    }
    return { data: out, frames, dim };
  }
}

/** Index i mirrored into [0, n) the way Kaldi pads: ..., x1, x0 | x0, x1, ... | xn-1, xn-2, ... */
function reflect(i: number, n: number): number {
  for (;;) {
    if (i < 0) i = -i - 1;
    else if (i >= n) i = 2 * n - 1 - i;
    else return i;
  }
}

/** Subtracts from columns [0, dim) of the rows (frames x stride) of `data` their means. */
function subtractColumnMeans(data: Float32Array, frames: number, stride: number, dim: number): void {
  if (frames === 0) return;
  const mean = new Float64Array(dim);
  for (let t = 0; t < frames; t++) for (let d = 0; d < dim; d++) mean[d]! += data[t * stride + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= frames;
  for (let t = 0; t < frames; t++) for (let d = 0; d < dim; d++) data[t * stride + d]! -= mean[d]!;
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

/**
 * A kernel for `config`: the WebAssembly one unless `kind` is 'js' or the module cannot be
 * loaded here (then TypeScript).
 */
export function createFrameKernel(config: FrameKernelConfig, kind: FrameKernelKind = 'wasm'): FrameKernel {
  return (kind === 'wasm' ? createWasmFrameKernel(config) : undefined) ?? createJsFrameKernel(config);
}
