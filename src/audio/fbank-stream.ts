/**
 * Filterbank features of a stream of samples, chunk by chunk: the frames of the samples
 * received so far that lie wholly inside them. Each frame is computed from its own samples
 * by the same extractor as offline, so a stream's frames equal {@link fbank}'s on the whole
 * signal bit for bit, whatever the chunk sizes.
 */
import type { Features } from '../util/features.js';
import { FbankExtractor, type FbankOptions } from './fbank.js';

/** Why `options` cannot be computed incrementally, or undefined when they can. */
export function unstreamableFbankReason(options: FbankOptions): string | undefined {
  if (options.snipEdges === false) return 'snipEdges: false mirrors the signal at its end, which a stream has not reached';
  if (options.subtractMean) return 'subtractMean needs the whole utterance';
  if (options.deltaOrder) return 'deltas need frames from the future (deltaOrder must be 0)';
  if (options.dither) return 'dither must be 0';
  return undefined;
}

/** Incremental filterbank over one stream (see the module comment). */
export class FbankStream {
  readonly extractor: FbankExtractor;
  /** Samples received but not yet behind a computed frame's start. */
  private pending = new Float32Array(0);
  /** Frames produced so far. */
  frames = 0;

  constructor(sampleRate: number, options: FbankOptions = {}) {
    const why = unstreamableFbankReason(options);
    if (why) throw new Error(`fbank stream: these filterbank options cannot be streamed: ${why}`);
    this.extractor = new FbankExtractor(sampleRate, options);
  }

  /** Columns per frame. */
  get dim(): number {
    return this.extractor.dim;
  }

  /** Adds samples; returns the frames they complete (possibly none). */
  accept(samples: Float32Array): Features {
    const all = new Float32Array(this.pending.length + samples.length);
    all.set(this.pending);
    all.set(samples, this.pending.length);
    const out = this.extractor.compute(all);
    this.pending = all.slice(out.frames * this.extractor.windowShift);
    this.frames += out.frames;
    return out;
  }

  /** Forgets everything received (a new utterance starts). */
  reset(): void {
    this.pending = new Float32Array(0);
    this.frames = 0;
  }
}
