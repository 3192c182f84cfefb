/**
 * Band-limited resampling with a Kaiser-windowed sinc filter (the method of Smith's
 * "Digital Audio Resampling"), to any output rate. For integer rates with a small reduced
 * ratio L/M the filter is precomputed as L polyphase branches; otherwise the taps are
 * computed for each output sample.
 */

/** Resampler quality settings. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side, at the lower of the two rates. Default 32. */
  zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency. Default 0.9. */
  rolloff?: number;
  /** Kaiser window beta (stopband attenuation about 8.7 * beta dB). Default 9. */
  beta?: number;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The filter for one rate pair: taps as a function of the fractional input position. */
class SincKernel {
  /** Taps each side of the centre, in input samples. */
  readonly half: number;
  private readonly cutoff: number;
  private readonly beta: number;
  private readonly i0beta: number;

  constructor(ratio: number, opts: ResampleOptions) {
    const zeros = opts.zeroCrossings ?? 32;
    const rolloff = opts.rolloff ?? 0.9;
    this.beta = opts.beta ?? 9;
    if (!(zeros >= 1) || !(rolloff > 0 && rolloff <= 1) || !(this.beta >= 0)) {
      throw new Error(`resample: bad options ${JSON.stringify(opts)}`);
    }
    // Cutoff in cycles per input sample x2 (1 = input Nyquist); lowered when decimating.
    this.cutoff = Math.min(1, ratio) * rolloff;
    this.half = Math.ceil(zeros / this.cutoff);
    this.i0beta = besselI0(this.beta);
  }

  /**
   * Fills `taps` (length 2 * half) with the weights of inputs first-half+1 .. first+half
   * for an output at input position first + frac (0 <= frac < 1), normalised to sum 1.
   */
  weights(frac: number, taps: Float64Array): void {
    const { half, cutoff, beta, i0beta } = this;
    let sum = 0;
    for (let j = 0; j < 2 * half; j++) {
      const x = frac - (j - half + 1); // distance from the output to input j
      const r = x / half;
      let w = 0;
      if (r > -1 && r < 1) {
        const u = Math.PI * cutoff * x;
        const sinc = u === 0 ? 1 : Math.sin(u) / u;
        w = cutoff * sinc * (besselI0(beta * Math.sqrt(1 - r * r)) / i0beta);
      }
      taps[j] = w;
      sum += w;
    }
    for (let j = 0; j < taps.length; j++) taps[j]! /= sum;
  }
}

/** Largest polyphase table (phases x taps) worth precomputing. */
const MAX_TABLE = 1 << 22;

/**
 * Resamples mono `samples` from `fromRate` to `toRate` (Hz; need not be integers). The
 * output has ceil(n * toRate / fromRate) samples; outside the signal counts as silence.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number, opts: ResampleOptions = {}): Float32Array {
  if (!(fromRate > 0 && toRate > 0) || !Number.isFinite(fromRate) || !Number.isFinite(toRate)) {
    throw new Error(`resample: bad rates ${fromRate} -> ${toRate}`);
  }
  if (fromRate === toRate) return samples.slice();
  const n = samples.length;
  const kernel = new SincKernel(toRate / fromRate, opts);
  const half = kernel.half;
  const width = 2 * half;
  const integral = Number.isInteger(fromRate) && Number.isInteger(toRate);
  const g = integral ? gcd(fromRate, toRate) : 1;
  const up = toRate / g; // output n sits at input position n * down / up
  const down = fromRate / g;
  const outLen = integral ? Math.ceil((n * up) / down) : Math.ceil((n * toRate) / fromRate);
  const out = new Float32Array(outLen);
  const usePhases = integral && up * width <= MAX_TABLE;
  let table: Float64Array | undefined;
  if (usePhases) {
    table = new Float64Array(up * width);
    for (let p = 0; p < up; p++) kernel.weights(p / up, table.subarray(p * width, (p + 1) * width));
  }
  const taps = new Float64Array(width);
  for (let i = 0; i < outLen; i++) {
    let first: number;
    let w: Float64Array;
    let base = 0;
    if (table) {
      const pos = i * down; // exact in integers for any realistic length
      first = Math.floor(pos / up);
      base = (pos - first * up) * width;
      w = table;
    } else {
      const pos = (i * fromRate) / toRate;
      first = Math.floor(pos);
      kernel.weights(pos - first, taps);
      w = taps;
    }
    const start = first - half + 1;
    let acc = 0;
    if (start >= 0 && start + width <= n) {
      for (let j = 0; j < width; j++) acc += w[base + j]! * samples[start + j]!;
    } else {
      for (let j = 0; j < width; j++) {
        const k = start + j;
        if (k >= 0 && k < n) acc += w[base + j]! * samples[k]!;
      }
    }
    out[i] = acc;
  }
  return out;
}
