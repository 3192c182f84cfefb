import { checkDuration } from './audio-upload.js';

/** Raw 16-bit little-endian mono PCM arriving in chunks of any size (an odd byte waits for its pair). */
export class PcmStream {
  private data = new Int16Array(0);
  private length = 0;
  private carry: number | undefined;

  constructor(readonly sampleRate: number, readonly maxSeconds: number) {}

  get seconds(): number {
    return this.length / this.sampleRate;
  }

  /** Adds bytes; throws an HttpError 413 once the audio passes maxSeconds. */
  push(bytes: Uint8Array): void {
    let at = 0;
    const count = (bytes.length + (this.carry === undefined ? 0 : 1)) >> 1;
    checkDuration((this.length + count) / this.sampleRate, this.maxSeconds);
    if (this.length + count > this.data.length) {
      const grown = new Int16Array(Math.max(this.length + count, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    if (this.carry !== undefined && bytes.length > 0) {
      this.data[this.length++] = (bytes[0]! << 8 | this.carry) << 16 >> 16;
      this.carry = undefined;
      at = 1;
    }
    for (; at + 1 < bytes.length; at += 2) this.data[this.length++] = (bytes[at + 1]! << 8 | bytes[at]!) << 16 >> 16;
    if (at < bytes.length) this.carry = bytes[at]!;
  }

  /** The audio so far as floats in [-1, 1) (a copy: the caller may transfer it). */
  samples(): Float32Array {
    const out = new Float32Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.data[i]! / 32768;
    return out;
  }
}
