/**
 * A causal noise-floor tracker over several channels (levels in dB, one value per channel
 * per frame), by minimum statistics: the floor of a channel is the minimum of its lightly
 * smoothed level over the last few seconds. Speech leaves gaps between words and phrases,
 * so that minimum is the background's level, and it follows a background that changes
 * within a few seconds. The window is kept as the minima of blocks of frames (a quarter
 * second each), so each frame costs a few operations per channel whatever the window.
 */

/** Frames per block of the window. */
const BLOCK_FRAMES = 25;
/** Weight of the past in the smoothing before the minimum (it keeps one low frame of a noisy background from setting the floor). */
const SMOOTH = 0.5;

/** The tracker (see the module comment). */
export class NoiseFloor {
  private readonly smoothed: Float64Array;
  /** Minimum of each channel in the current, unfinished block. */
  private readonly current: Float64Array;
  /** Minima of the finished blocks in the window, block-major, a ring. */
  private readonly blocks: Float64Array;
  /** Minimum over the finished blocks, per channel. */
  private readonly blocksMin: Float64Array;
  private readonly blockCount: number;
  private inBlock = 0;
  private next = 0;
  private started = false;

  /** `channels` levels per frame; the floor is the minimum over about `windowFrames` frames. */
  constructor(readonly channels: number, windowFrames: number) {
    this.blockCount = Math.max(1, Math.round(windowFrames / BLOCK_FRAMES) - 1);
    this.smoothed = new Float64Array(channels);
    this.current = new Float64Array(channels).fill(Infinity);
    this.blocks = new Float64Array(this.blockCount * channels).fill(Infinity);
    this.blocksMin = new Float64Array(channels).fill(Infinity);
  }

  /**
   * Takes one frame's levels and writes each channel's floor (which the frame itself is
   * part of) into `floor`.
   */
  update(levels: ArrayLike<number>, floor: Float32Array | Float64Array): void {
    const C = this.channels;
    for (let c = 0; c < C; c++) {
      const s = this.started ? SMOOTH * this.smoothed[c]! + (1 - SMOOTH) * levels[c]! : levels[c]!;
      this.smoothed[c] = s;
      if (s < this.current[c]!) this.current[c] = s;
      floor[c] = Math.min(this.current[c]!, this.blocksMin[c]!);
    }
    this.started = true;
    if (++this.inBlock < BLOCK_FRAMES) return;
    // The block is finished: it replaces the oldest in the ring, and the ring's minima are recomputed.
    this.blocks.set(this.current, this.next * C);
    this.next = (this.next + 1) % this.blockCount;
    this.current.fill(Infinity);
    this.inBlock = 0;
    this.blocksMin.fill(Infinity);
    for (let b = 0; b < this.blockCount; b++) {
      for (let c = 0; c < C; c++) this.blocksMin[c] = Math.min(this.blocksMin[c]!, this.blocks[b * C + c]!);
    }
  }
}
