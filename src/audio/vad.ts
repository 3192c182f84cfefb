/**
 * Energy-based voice-activity segmentation: cuts a stream of samples into segments of at
 * most `maxSeconds`, at pauses, holding at most one segment's samples. Live streams decide
 * their frames with the trained VAD (model-vad.ts) instead; the cuts here still come from
 * energy alone (they look at a whole window, so they choose the quietest places in it).
 *
 * Pauses are frames quieter than a threshold set from the window itself (its quiet floor
 * plus 30% of the way to its loud frames, and at least -60 dBFS), so it follows the
 * recording's noise level.
 */
import { quantiles } from '../math/quantiles.js';

/** Options of {@link EnergySegmenter}. */
export interface SegmenterOptions {
  /** Longest segment in seconds (default 20). */
  maxSeconds?: number;
  /** Pauses at least this long (seconds) are preferred as cut points (default 0.5). */
  minPauseSeconds?: number;
  /** Analysis frame in seconds (default 0.01). */
  frameSeconds?: number;
}

/** A piece of the stream: its first sample's index in the stream, and its samples (a copy). */
export interface AudioSegment {
  start: number;
  samples: Float32Array;
  /** Loudest analysis frame of the segment, dB relative to full scale: -100 for digital silence. */
  peakDb: number;
  /** Energy of each analysis frame of the segment (dB; frames of {@link EnergySegmenter.frame} samples). */
  frameDb: Float32Array;
  /** The whole stream, uncut (a stream no longer than maxSeconds). */
  whole?: boolean;
}

/** Mean-square energy in dB (floor -100) of consecutive `frame`-sample frames of `x` (a last partial frame included). */
export function frameEnergiesDb(x: Float32Array, frame: number): Float32Array {
  const n = Math.ceil(x.length / frame);
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) out[f] = energyDb(x, f * frame, Math.min(x.length, (f + 1) * frame) - f * frame);
  return out;
}

/** Mean-square energy of `n` samples of `x` from `at`, in dB relative to full scale (floor -100); the live VAD's too. */
export function energyDb(x: Float32Array, at: number, n: number): number {
  let s = 0;
  for (let i = at; i < at + n; i++) s += x[i]! * x[i]!;
  return Math.max(-100, 10 * Math.log10(s / n + 1e-10));
}

/** The level under which a frame of `db` is pause: its quiet floor plus 30% of the way to its loud frames, and at least -60 dBFS. */
function pauseThreshold(db: Float32Array): number {
  const [floor, loud] = quantiles(db, [0.1, 0.95]) as [number, number];
  // Under -60 dBFS is a pause whatever the window holds (a window of silence alone is all pause).
  return Math.max(floor + 0.3 * (loud - floor), -60);
}

/**
 * The frames of `db` from the first to the last that is not pause (by the threshold the
 * cuts use), widened by `margin` frames on each side within the window; undefined when all
 * of it is pause.
 */
export function soundBounds(db: Float32Array, margin: number): { first: number; end: number } | undefined {
  const threshold = pauseThreshold(db);
  let first = 0;
  while (first < db.length && db[first]! < threshold) first++;
  if (first === db.length) return undefined;
  let last = db.length - 1;
  while (db[last]! < threshold) last--;
  return { first: Math.max(0, first - margin), end: Math.min(db.length, last + 1 + margin) };
}

/**
 * Where to cut a window of frame energies (frame indices, ascending): the middle of every
 * pause of at least `minPause` frames. When there is none and `mustCut`, one cut: the middle
 * of the longest pause from `minFrame` on, else the quietest frame of the second half.
 */
export function chooseCuts(db: Float32Array, minPause: number, minFrame: number, mustCut: boolean): number[] {
  const threshold = pauseThreshold(db);
  const cuts: number[] = [];
  let longest = -1;
  let longestLength = 0;
  for (let f = 0; f < db.length;) {
    if (db[f]! >= threshold) { f++; continue; }
    let end = f;
    while (end < db.length && db[end]! < threshold) end++;
    const middle = (f + end) >> 1;
    if (end - f >= minPause && middle > 0) cuts.push(middle);
    if (middle >= minFrame && end - f > longestLength) { longestLength = end - f; longest = middle; }
    f = end;
  }
  if (cuts.length > 0 || !mustCut) return cuts;
  if (longest >= 0) return [longest];
  let quietest = Math.max(minFrame, db.length >> 1);
  for (let f = quietest; f < db.length; f++) if (db[f]! < db[quietest]!) quietest = f;
  return [Math.max(1, quietest)];
}

/**
 * Cuts pushed samples into segments at every pause of at least `minPauseSeconds`, and
 * at the best pause available wherever that would leave a segment longer than
 * `maxSeconds`; a stream no longer than `maxSeconds` stays whole (an utterance is decoded
 * as it always was). Memory: one window of `maxSeconds` of samples, whatever the stream's length.
 */
export class EnergySegmenter {
  private readonly max: number;
  /** Samples per analysis frame. */
  readonly frame: number;
  private readonly minPauseFrames: number;
  private buffer: Float32Array;
  private length = 0;
  /** Stream index of buffer[0]. */
  private offset = 0;

  constructor(readonly sampleRate: number, options: SegmenterOptions = {}) {
    const maxSeconds = options.maxSeconds ?? 20;
    const frameSeconds = options.frameSeconds ?? 0.01;
    if (!(maxSeconds > 0) || !(frameSeconds > 0) || !(sampleRate > 0)) throw new Error(`EnergySegmenter: bad options ${JSON.stringify({ sampleRate, ...options })}`);
    this.frame = Math.max(1, Math.round(frameSeconds * sampleRate));
    this.max = Math.max(this.frame * 4, Math.floor(maxSeconds * sampleRate));
    this.minPauseFrames = Math.max(1, Math.round((options.minPauseSeconds ?? 0.5) / frameSeconds));
    this.buffer = new Float32Array(this.max);
  }

  /** Adds samples; returns the segments completed by them (in order). */
  push(samples: Float32Array): AudioSegment[] {
    const out: AudioSegment[] = [];
    for (let at = 0; at < samples.length;) {
      const n = Math.min(samples.length - at, this.max - this.length);
      this.buffer.set(samples.subarray(at, at + n), this.length);
      this.length += n;
      at += n;
      if (this.length === this.max) out.push(...this.cut(false));
    }
    return out;
  }

  /** The rest of the stream, cut at its pauses (nothing when nothing is left; a whole stream of at most maxSeconds stays one segment). */
  flush(): AudioSegment[] {
    if (this.length === 0) return [];
    if (this.offset === 0) return [{ ...this.take(this.length), whole: true }];
    const out = this.cut(true);
    if (this.length > 0) out.push(this.take(this.length));
    return out;
  }

  /** Segments up to the last cut in the window (the rest stays: it may go on). */
  private cut(final: boolean): AudioSegment[] {
    const db = frameEnergiesDb(this.buffer.subarray(0, this.length), this.frame);
    const minFrame = Math.min(db.length - 1, Math.floor(db.length / 4));
    let taken = 0;
    const out: AudioSegment[] = [];
    for (const f of chooseCuts(db, this.minPauseFrames, minFrame, !final)) {
      const at = Math.min(this.length + taken, f * this.frame);
      if (at > taken) out.push(this.take(at - taken));
      taken = at;
    }
    return out;
  }

  private take(n: number): AudioSegment {
    const samples = this.buffer.slice(0, n);
    const db = frameEnergiesDb(samples, this.frame);
    const segment = { start: this.offset, samples, peakDb: db.reduce((a, x) => Math.max(a, x), -100), frameDb: db };
    this.buffer.copyWithin(0, n, this.length);
    this.length -= n;
    this.offset += n;
    return segment;
  }
}
