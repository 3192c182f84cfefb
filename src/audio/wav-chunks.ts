/**
 * A WAV file's samples as mono pieces, converted a piece at a time (the file's bytes are
 * already in memory; its float samples never are all at once).
 */
import { WavError, type WavLayout } from './wav-header.js';
import { decodeWav } from './wav-read.js';

/** Mono pieces of at most `frames` frames of the WAV file in `bytes`, whose header gave `layout`. */
export function* wavChunks(bytes: Uint8Array, layout: WavLayout, file: string, frames: number): Generator<Float32Array> {
  if (layout.encoding === 'alaw' || layout.encoding === 'mulaw') {
    // Companded files are rare and small (telephone audio): expand them whole.
    const all = decodeWav(bytes, file).samples;
    for (let at = 0; at < all.length; at += frames) yield all.subarray(at, at + frames);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + layout.dataOffset, layout.dataBytes);
  const { channels, blockAlign } = layout;
  const width = blockAlign / channels;
  const read: (at: number) => number = {
    'pcm-u8': (at: number) => (view.getUint8(at) - 128) / 128,
    'pcm-s16': (at: number) => view.getInt16(at, true) / 32768,
    'pcm-s24': (at: number) => ((view.getUint8(at + 2) << 24 | view.getUint8(at + 1) << 16 | view.getUint8(at) << 8) >> 8) / 8388608,
    'pcm-s32': (at: number) => view.getInt32(at, true) / 2147483648,
    float32: (at: number) => view.getFloat32(at, true),
    float64: (at: number) => view.getFloat64(at, true),
  }[layout.encoding];
  const total = layout.dataBytes / blockAlign;
  for (let start = 0; start < total; start += frames) {
    const n = Math.min(frames, total - start);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      const at = (start + i) * blockAlign;
      for (let c = 0; c < channels; c++) v += read(at + c * width);
      v /= channels;
      if (!Number.isFinite(v)) throw new WavError(file, 'malformed', `sample ${start + i} is not a finite number`);
      out[i] = v;
      // Float64 samples past float32's range become Infinity.
      if (!Number.isFinite(out[i]!)) throw new WavError(file, 'malformed', `sample ${start + i} (${v}) is beyond the range of 32-bit floats`);
    }
    yield out;
  }
}
