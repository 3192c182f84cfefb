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
 * One rate conversion's filter, set up once: output i sits at input position
 * i * fromRate / toRate and reads the inputs within `half` taps of it. Used by
 * {@link resample} on a whole signal and by {@link ResampleStream} on a stream.
 */
export class ResamplePlan {
  /** Taps each side of an output's input position. */
  readonly half: number;
  private readonly width: number;
  private readonly kernel: SincKernel;
  private readonly up: number;
  private readonly down: number;
  private readonly integral: boolean;
  private readonly table: Float64Array | undefined;
  private readonly taps: Float64Array;

  constructor(readonly fromRate: number, readonly toRate: number, opts: ResampleOptions = {}) {
    if (!(fromRate > 0 && toRate > 0) || !Number.isFinite(fromRate) || !Number.isFinite(toRate)) {
      throw new Error(`resample: bad rates ${fromRate} -> ${toRate}`);
    }
    this.kernel = new SincKernel(toRate / fromRate, opts);
    this.half = this.kernel.half;
    this.width = 2 * this.half;
    this.integral = Number.isInteger(fromRate) && Number.isInteger(toRate);
    const g = this.integral ? gcd(fromRate, toRate) : 1;
    this.up = toRate / g; // output n sits at input position n * down / up
    this.down = fromRate / g;
    if (this.integral && this.up * this.width <= MAX_TABLE) {
      this.table = new Float64Array(this.up * this.width);
      for (let p = 0; p < this.up; p++) this.kernel.weights(p / this.up, this.table.subarray(p * this.width, (p + 1) * this.width));
    }
    this.taps = new Float64Array(this.width);
  }

  /** Output samples of an input of n samples. */
  outputLength(n: number): number {
    return this.integral ? Math.ceil((n * this.up) / this.down) : Math.ceil((n * this.toRate) / this.fromRate);
  }

  /** The first input output i reads (the last is this + 2 * half - 1). */
  firstInput(i: number): number {
    const first = this.table ? Math.floor((i * this.down) / this.up) : Math.floor((i * this.fromRate) / this.toRate);
    return first - this.half + 1;
  }

  /**
   * Output i of a signal of n samples (silence outside [0, n)), of which `src` holds
   * inputs from index `srcStart` on (at least those output i reads that exist).
   */
  sample(i: number, src: Float32Array, srcStart: number, n: number): number {
    const { half, width } = this;
    let first: number;
    let w: Float64Array;
    let base = 0;
    if (this.table) {
      const pos = i * this.down; // exact in integers for any realistic length
      first = Math.floor(pos / this.up);
      base = (pos - first * this.up) * width;
      w = this.table;
    } else {
      const pos = (i * this.fromRate) / this.toRate;
      first = Math.floor(pos);
      this.kernel.weights(pos - first, this.taps);
      w = this.taps;
    }
    const start = first - half + 1;
    const at = start - srcStart;
    let acc = 0;
    if (start >= 0 && start + width <= n) {
      for (let j = 0; j < width; j++) acc += w[base + j]! * src[at + j]!;
    } else {
      for (let j = 0; j < width; j++) {
        const k = start + j;
        if (k >= 0 && k < n) acc += w[base + j]! * src[at + j]!;
      }
    }
    return acc;
  }
}

/**
 * Resamples mono `samples` from `fromRate` to `toRate` (Hz; need not be integers). The
 * output has ceil(n * toRate / fromRate) samples; outside the signal counts as silence.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number, opts: ResampleOptions = {}): Float32Array {
  const plan = new ResamplePlan(fromRate, toRate, opts);
  if (fromRate === toRate) return samples.slice();
  const n = samples.length;
  const out = new Float32Array(plan.outputLength(n));
  for (let i = 0; i < out.length; i++) out[i] = plan.sample(i, samples, 0, n);
  return out;
}
