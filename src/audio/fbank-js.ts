/**
 * Filterbank frames in TypeScript over fft.js (float64 throughout), for runtimes where the
 * WebAssembly kernel does not load. Two real frames go through one complex FFT (one as the
 * real part, one as the imaginary part).
 */
import FFT from 'fft.js';
import { deltaInteriorRows } from './deltas.js';
import type { FrameKernel, FrameKernelConfig } from './fbank-kernel.js';
import type { MelBanks } from './mel-banks.js';

/** float32 machine epsilon: Kaldi's floor inside every log. */
const EPS = 1.1920928955078125e-7;

class JsFrameKernel implements FrameKernel {
  readonly kind = 'js';
  readonly samples: Float32Array;
  readonly starts: Int32Array;
  readonly out: Float32Array;
  private readonly c: FrameKernelConfig;
  private readonly fft: FFT;
  private readonly fftIn: Float64Array;
  private readonly spectrum: Float64Array;
  /** Per FFT bin: the two mel filters it feeds (numBins: a dummy slot) and their weights. */
  private readonly binFilter0: Int32Array;
  private readonly binFilter1: Int32Array;
  private readonly binWeight0: Float64Array;
  private readonly binWeight1: Float64Array;
  /** Mel energies of the two frames of a pair, plus the dummy slot. */
  private readonly accA: Float64Array;
  private readonly accB: Float64Array;

  constructor(config: FrameKernelConfig) {
    this.c = config;
    this.samples = new Float32Array(config.maxSamples);
    this.starts = new Int32Array(config.maxFrames);
    this.out = new Float32Array(config.maxFrames * config.stride);
    this.fft = new FFT(config.fftSize);
    this.fftIn = new Float64Array(2 * config.fftSize);
    this.spectrum = new Float64Array(2 * config.fftSize);
    [this.binFilter0, this.binWeight0, this.binFilter1, this.binWeight1] = binTables(config.banks, config.fftSize / 2);
    this.accA = new Float64Array(config.banks.numBins + 1);
    this.accB = new Float64Array(config.banks.numBins + 1);
  }

  run(count: number): void {
    const { stride, melCol, frameSize } = this.c;
    for (let t = 0; t < count; t += 2) {
      const pair = t + 1 < count;
      this.logEnergy(t, this.windowFrame(this.starts[t]!, 0));
      if (pair) this.logEnergy(t + 1, this.windowFrame(this.starts[t + 1]!, 1));
      else for (let i = 0; i < frameSize; i++) this.fftIn[2 * i + 1] = 0;
      this.fft.transform(this.spectrum, this.fftIn);
      this.melEnergies(t * stride + melCol, pair ? (t + 1) * stride + melCol : -1);
    }
  }

  deltaRows(from: number, to: number, dim: number, i: number, window: number): void {
    deltaInteriorRows(this.out, this.c.stride, dim, i, window, from, to);
  }

  /** Row t's log energy column, floored (where the energy is wanted). */
  private logEnergy(t: number, e: number): void {
    if (this.c.energy === 'none') return;
    this.out[t * this.c.stride + this.c.energyCol] = Math.max(Math.log(e > EPS ? e : EPS), this.c.logEnergyFloor);
  }

  /**
   * Removes the DC offset of samples[off .. off + frameSize), pre-emphasises it (x[-1]
   * taken as x[0], as Kaldi does) and windows it into the real (part 0) or imaginary
   * (part 1) lanes of `fftIn`, in one pass. Returns the frame's energy (0 for none).
   */
  private windowFrame(off: number, part: number): number {
    const { frameSize: size, window: win, removeDcOffset, energy: energyKind, preemphasis: c } = this.c;
    const { fftIn, samples: src } = this;
    let mean = 0;
    if (removeDcOffset) {
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
    if (energyKind === 'raw') {
      for (let i = 0; i < size; i++) { const v = src[off + i]! - mean; energy += v * v; }
      energy *= 32768 * 32768;
    }
    const dc = (1 - c) * mean;
    let prev = src[off]!;
    fftIn[part] = win[0]! * (prev - mean) * (1 - c);
    for (let i = 1; i < size; i++) {
      const x = src[off + i]!;
      fftIn[2 * i + part] = win[i]! * (x - c * prev - dc);
      prev = x;
    }
    // Lanes past frameSize stay zero: nothing ever writes there.
    if (energyKind === 'windowed') {
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
  private melEnergies(rowA: number, rowB: number): void {
    const { spectrum: z, accA, accB, binFilter0: f0, binWeight0: w0, binFilter1: f1, binWeight1: w1 } = this;
    const size = this.c.fftSize;
    const half = size / 2;
    const mag = !this.c.usePower;
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
    this.writeRow(accA, rowA);
    if (rowB >= 0) this.writeRow(accB, rowB);
  }

  private writeRow(acc: Float64Array, row: number): void {
    const n = this.c.banks.numBins;
    const out = this.out;
    const scale = this.c.usePower ? 0.25 : 0.5;
    if (this.c.useLog) {
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

/** The TypeScript kernel for `config`. */
export function createJsFrameKernel(config: FrameKernelConfig): FrameKernel {
  return new JsFrameKernel(config);
}
