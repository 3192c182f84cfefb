/**
 * Raw PCM of a live stream arriving in pieces of any size, turned into float samples as it
 * arrives (nothing kept but the bytes of a sample split across two pieces).
 */
import { HttpError } from './http-error.js';

/** Sample encodings a stream may send: 16-bit signed or 32-bit float, little-endian, mono. */
export const PCM_ENCODINGS = ['s16le', 'f32le'] as const;
export type PcmEncoding = (typeof PCM_ENCODINGS)[number];

/** A stream's audio format. */
export interface PcmFormat {
  /** Samples per second (Hz). */
  rate: number;
  encoding: PcmEncoding;
}

export class PcmDecoder {
  private readonly width: number;
  private carry = new Uint8Array(0);
  private count = 0;

  constructor(readonly format: PcmFormat) {
    this.width = format.encoding === 's16le' ? 2 : 4;
  }

  /** Samples decoded so far. */
  get samples(): number {
    return this.count;
  }

  /** Seconds of audio decoded so far. */
  get seconds(): number {
    return this.count / this.format.rate;
  }

  /**
   * The samples of `bytes` (after the bytes left over from the last piece) as floats in
   * [-1, 1); a trailing partial sample waits for the next piece. Float samples must be
   * finite and within [-1, 1] (HttpError 400 names the first that is not).
   */
  decode(bytes: Uint8Array): Float32Array {
    let data = bytes;
    if (this.carry.length > 0) {
      data = new Uint8Array(this.carry.length + bytes.length);
      data.set(this.carry);
      data.set(bytes, this.carry.length);
    }
    const n = Math.floor(data.length / this.width);
    this.carry = data.slice(n * this.width);
    const view = new DataView(data.buffer, data.byteOffset, n * this.width);
    const out = new Float32Array(n);
    if (this.width === 2) {
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true) / 32768;
    } else {
      for (let i = 0; i < n; i++) {
        const x = view.getFloat32(4 * i, true);
        if (!(Math.abs(x) <= 1)) throw new HttpError(400, `stream: float sample ${this.count + i} is ${x}, not a number in [-1, 1] (encoding f32le)`);
        out[i] = x;
      }
    }
    this.count += n;
    return out;
  }
}
