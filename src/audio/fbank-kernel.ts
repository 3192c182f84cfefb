/**
 * The per-frame half of {@link FbankExtractor}: from frames of samples to mel columns and
 * energies. Two implementations: a WebAssembly SIMD module (src/audio/fbank-wasm.ts, used
 * wherever it loads; float32 FFT, as Kaldi's and torchaudio's), and TypeScript over fft.js
 * in float64 throughout (src/audio/fbank-js.ts: runtimes without WebAssembly SIMD, or where
 * a synchronous compile is refused, as on a browser's main thread). They agree to about
 * 1e-4 in the log domain, more loosely for bands some 60 dB or more below their frame's
 * strongest, where float32 rounding shows (test/audio/fbank-kernel.test.ts).
 */
import type { MelBanks } from './mel-banks.js';

/** Which implementation runs the frames. */
export type FrameKernelKind = 'wasm' | 'js';

/** Geometry and options of a kernel, fixed when it is made. */
export interface FrameKernelConfig {
  /** FFT size: a power of two >= 4 and >= frameSize. */
  fftSize: number;
  /** Samples per frame. */
  frameSize: number;
  /** The analysis window times 32768 (the int16 scale), frameSize values. */
  window: Float64Array;
  banks: MelBanks;
  preemphasis: number;
  removeDcOffset: boolean;
  /** Frame energy: none, raw (after DC removal, before pre-emphasis and window), or of the windowed frame. */
  energy: 'none' | 'raw' | 'windowed';
  /** Column of the log energy in a row. */
  energyCol: number;
  /** Floor on the log energy (-Infinity for none). */
  logEnergyFloor: number;
  usePower: boolean;
  useLog: boolean;
  /** Floats per output row. */
  stride: number;
  /** Column of the first mel value in a row. */
  melCol: number;
  /** Most frames in one run. */
  maxFrames: number;
  /** Size of the sample buffer. */
  maxSamples: number;
}

/**
 * Buffers the caller fills, a run, and buffers it reads back. The views stay valid for the
 * kernel's life.
 */
export interface FrameKernel {
  readonly kind: FrameKernelKind;
  /** Samples (in [-1, 1)) that the frames read: maxSamples. */
  readonly samples: Float32Array;
  /** Per frame, the index in `samples` of its first sample: maxFrames. */
  readonly starts: Int32Array;
  /** maxFrames x stride; a run writes the mel (and log energy) columns of its rows, others untouched. */
  readonly out: Float32Array;
  /** Computes frames 0 .. count - 1 (count <= maxFrames) into rows 0 .. count - 1 of `out`. */
  run(count: number): void;
  /** Order-i deltas of rows [from, to) of `out` from their neighbours' order i - 1 columns, as deltaInteriorRows (src/audio/deltas.ts). */
  deltaRows(from: number, to: number, dim: number, i: number, window: number): void;
}
