import wavefile from 'wavefile';
// wavefile is CommonJS: its named exports are not visible to Node's ESM loader.
const { WaveFile } = wavefile;
import { writeFileAtomic } from '../util/atomic-write.js';

/** Sample formats {@link encodeWav} writes. */
export type WavWriteFormat = '16' | '24' | '32' | '32f';

/**
 * Encodes mono samples in [-1, 1) as a WAV file. Integer formats round to the nearest
 * step and clip at full scale (so that decoding a 16-bit file and encoding it again gives
 * the same bytes).
 */
export function encodeWav(samples: Float32Array, sampleRate: number, format: WavWriteFormat = '16'): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`encodeWav: bad sample rate ${sampleRate}`);
  const wav = new WaveFile();
  if (format === '32f') {
    wav.fromScratch(1, sampleRate, '32f', samples);
  } else {
    const bits = Number(format);
    const full = 2 ** (bits - 1);
    const ints = bits === 16 ? new Int16Array(samples.length) : new Int32Array(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const v = Math.round(samples[i]! * full);
      if (Number.isNaN(v)) throw new Error(`encodeWav: sample ${i} is NaN`);
      ints[i] = v >= full ? full - 1 : v < -full ? -full : v;
    }
    wav.fromScratch(1, sampleRate, format, ints);
  }
  return wav.toBuffer();
}

/** Writes mono samples to `path` as a WAV file, atomically. */
export function writeWav(path: string, samples: Float32Array, sampleRate: number, format: WavWriteFormat = '16'): void {
  writeFileAtomic(path, encodeWav(samples, sampleRate, format));
}
