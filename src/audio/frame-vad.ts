/**
 * A frame-wise, causal energy voice-activity detector for live streams: each 10 ms frame is
 * speech when its energy stands clear of the noise floor (the quietest frame of the last
 * few seconds: speech has pauses between words, so that is the room's noise) and of an
 * absolute floor. It holds one partial frame of
 * samples, whatever the stream's length. (The long-audio segmenter, which sees a whole
 * window at a time, sets its threshold from that window instead.)
 */
import { energyDb } from './vad.js';

/** Options of {@link FrameVad}. */
export interface FrameVadOptions {
  /** Analysis frame in seconds (default 0.01). */
  frameSeconds?: number;
  /** A speech frame is at least this many dB above the noise floor (default 12). */
  marginDb?: number;
  /** ... and at least this loud, dB relative to full scale (default -50). */
  minSpeechDb?: number;
  /** Seconds of past frames the noise floor is the minimum of (default 3). */
  floorSeconds?: number;
}

/** The incremental detector (see the module comment). */
export class FrameVad {
  readonly frameSamples: number;
  private readonly margin: number;
  private readonly minSpeech: number;
  private readonly floorFrames: number;
  /** The noise-floor window as a monotonic queue: frame indices with rising energies. */
  private readonly minFrames: number[] = [];
  private readonly minDb: number[] = [];
  private frame = 0;
  private readonly partial: Float32Array;
  private filled = 0;

  constructor(readonly sampleRate: number, options: FrameVadOptions = {}) {
    const frameSeconds = options.frameSeconds ?? 0.01;
    if (!(sampleRate > 0) || !(frameSeconds > 0)) throw new Error(`FrameVad: bad sample rate ${sampleRate} or frame ${frameSeconds} s`);
    this.frameSamples = Math.max(1, Math.round(frameSeconds * sampleRate));
    this.margin = options.marginDb ?? 12;
    this.minSpeech = options.minSpeechDb ?? -50;
    this.floorFrames = Math.max(1, Math.round((options.floorSeconds ?? 3) / frameSeconds));
    this.partial = new Float32Array(this.frameSamples);
  }

  /** Seconds per decision. */
  get frameSeconds(): number {
    return this.frameSamples / this.sampleRate;
  }

  /** Adds samples; returns one decision (true: speech) per frame they complete. */
  accept(samples: Float32Array): boolean[] {
    const out: boolean[] = [];
    const F = this.frameSamples;
    let at = 0;
    if (this.filled > 0) {
      const n = Math.min(F - this.filled, samples.length);
      this.partial.set(samples.subarray(0, n), this.filled);
      this.filled += n;
      at = n;
      if (this.filled < F) return out;
      out.push(this.decide(energyDb(this.partial, 0, F)));
      this.filled = 0;
    }
    for (; at + F <= samples.length; at += F) out.push(this.decide(energyDb(samples, at, F)));
    this.partial.set(samples.subarray(at));
    this.filled = samples.length - at;
    return out;
  }

  /** Forgets the partial frame (the noise floor stays: it is the room's, not the utterance's). */
  reset(): void {
    this.filled = 0;
  }

  private decide(db: number): boolean {
    const { minFrames: f, minDb: e } = this;
    while (e.length > 0 && e[e.length - 1]! >= db) { e.pop(); f.pop(); }
    e.push(db);
    f.push(this.frame);
    while (f[0]! <= this.frame - this.floorFrames) { f.shift(); e.shift(); }
    this.frame++;
    return db >= e[0]! + this.margin && db >= this.minSpeech;
  }
}
