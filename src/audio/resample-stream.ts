/**
 * Resampling of a stream, chunk by chunk: each output sample is computed, by the same
 * filter and arithmetic as {@link resample} on the whole signal, as soon as every input it
 * reads has arrived (the rest when the stream ends), so the concatenated outputs equal
 * the offline output bit for bit. Holds about 2 x half the filter's taps of input.
 */
import { type ResampleOptions, ResamplePlan } from './resample.js';

/** An incremental resampler (see the module comment). */
export class ResampleStream {
  private readonly plan: ResamplePlan;
  /** Inputs from index `bufStart` on. */
  private buf = new Float32Array(0);
  private bufStart = 0;
  /** Inputs received, and the next output's index. */
  private received = 0;
  private next = 0;

  constructor(readonly fromRate: number, readonly toRate: number, opts: ResampleOptions = {}) {
    this.plan = new ResamplePlan(fromRate, toRate, opts);
  }

  /** Adds input samples; returns the outputs they complete. */
  accept(samples: Float32Array): Float32Array {
    const all = new Float32Array(this.buf.length + samples.length);
    all.set(this.buf);
    all.set(samples, this.buf.length);
    this.buf = all;
    this.received += samples.length;
    // output i is complete once its last input (firstInput + 2 half - 1) has arrived
    let end = this.next;
    while (this.plan.firstInput(end) + 2 * this.plan.half <= this.received) end++;
    return this.emit(end, Number.MAX_SAFE_INTEGER);
  }

  /** The stream has ended: the outputs left (inputs past the end count as silence). */
  finish(): Float32Array {
    return this.emit(this.plan.outputLength(this.received), this.received);
  }

  /** Forgets everything (a new stream starts). */
  reset(): void {
    this.buf = new Float32Array(0);
    this.bufStart = this.received = this.next = 0;
  }

  private emit(end: number, n: number): Float32Array {
    const out = new Float32Array(Math.max(0, end - this.next));
    for (let j = 0; j < out.length; j++) out[j] = this.plan.sample(this.next + j, this.buf, this.bufStart, n);
    this.next += out.length;
    // drop the inputs no later output reads
    const keepFrom = Math.min(this.received, Math.max(this.bufStart, this.plan.firstInput(this.next)));
    this.buf = this.buf.slice(keepFrom - this.bufStart);
    this.bufStart = keepFrom;
    return out;
  }
}
