/**
 * A WAV file's samples as mono float pieces, converted a piece at a time through typed-array
 * views of each piece's bytes (the file's bytes are already in memory; its float samples
 * need never be all at once). Every WAV reader uses this: decodeWav is one piece of the
 * whole file, the Node readers take pieces as they go.
 */
import wavefile from 'wavefile';
import { WavError, type WavEncoding, type WavLayout } from './wav-header.js';
// wavefile is CommonJS: its named exports are not visible to Node's ESM loader.
const { WaveFile } = wavefile;

/** Little-endian hosts can view WAV data directly (every current Node platform is). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Mono pieces of at most `frames` frames of the WAV file in `bytes`, whose header gave `layout`. */
export function* wavChunks(bytes: Uint8Array, layout: WavLayout, file: string, frames: number): Generator<Float32Array> {
  if (!LITTLE_ENDIAN) throw new WavError(file, 'unsupported', 'reading WAV needs a little-endian host');
  const { channels, blockAlign } = layout;
  const total = layout.dataBytes / blockAlign;
  let encoding: WavEncoding = layout.encoding;
  let data = bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes);
  if (encoding === 'alaw' || encoding === 'mulaw') {
    // Companded files are rare and small (telephone audio): expanded whole to 16-bit PCM.
    data = expandCompanded(bytes, encoding, total * channels, file);
    encoding = 'pcm-s16';
  }
  const frameBytes = data.length / total || blockAlign;
  for (let start = 0; start < total; start += frames) {
    const n = Math.min(frames, total - start);
    yield monoSamples(data.subarray(start * frameBytes, (start + n) * frameBytes), encoding, channels, start, file);
  }
}

/** The 16-bit PCM bytes of an A-law or mu-law file (wavefile expands it), `count` samples at least. */
function expandCompanded(bytes: Uint8Array, encoding: 'alaw' | 'mulaw', count: number, file: string): Uint8Array {
  let data: Uint8Array;
  try {
    const wav = new WaveFile(bytes);
    if (encoding === 'alaw') wav.fromALaw('16');
    else wav.fromMuLaw('16');
    data = (wav.data as { samples: Uint8Array }).samples;
  } catch (err) {
    throw new WavError(file, 'malformed', err instanceof Error ? err.message : String(err));
  }
  // wavefile keeps the pad byte of an odd-sized data chunk: only `count` samples count.
  if (data.length < count * 2) throw new WavError(file, 'malformed', `wavefile found ${data.length} data bytes, the header says ${count * 2}`);
  return data.subarray(0, count * 2);
}

/**
 * `data` (whole frames of `channels` interleaved samples) as mono floats: the channels'
 * mean, scaled to [-1, 1). `first` is the first frame's index in the file, for errors.
 */
function monoSamples(data: Uint8Array, encoding: WavEncoding, channels: number, first: number, file: string): Float32Array {
  const { values, offset, scale } = sampleValues(data, encoding);
  const frames = values.length / channels;
  const out = new Float32Array(frames);
  const k = scale / channels;
  const float = encoding === 'float32' || encoding === 'float64';
  if (channels === 1 && !float) {
    for (let i = 0; i < frames; i++) out[i] = (values[i]! + offset) * k;
    return out;
  }
  for (let i = 0, at = 0; i < frames; i++) {
    let v = 0;
    for (let c = 0; c < channels; c++) v += values[at++]! + offset;
    out[i] = v * k;
    if (float && !Number.isFinite(out[i]!)) {
      if (!Number.isFinite(v)) throw new WavError(file, 'malformed', `sample ${first + i} is not a finite number`);
      // Float64 samples past float32's range become Infinity.
      throw new WavError(file, 'malformed', `sample ${first + i} (${v * k}) is beyond the range of 32-bit floats`);
    }
  }
  return out;
}

/** The bytes as a typed array of one sample per element, with its offset and scale to [-1, 1). */
function sampleValues(data: Uint8Array, encoding: WavEncoding): { values: ArrayLike<number>; offset: number; scale: number } {
  // Typed arrays need aligned offsets; a piece of a file may start anywhere (then it is copied).
  const aligned = (size: number): ArrayBuffer => (data.byteOffset % size === 0 ? data : new Uint8Array(data)).buffer as ArrayBuffer;
  const start = (size: number): number => (data.byteOffset % size === 0 ? data.byteOffset : 0);
  switch (encoding) {
    case 'pcm-u8': return { values: data, offset: -128, scale: 1 / 128 };
    case 'pcm-s16': case 'alaw': case 'mulaw': return { values: new Int16Array(aligned(2), start(2), data.length / 2), offset: 0, scale: 1 / 32768 };
    case 'pcm-s32': return { values: new Int32Array(aligned(4), start(4), data.length / 4), offset: 0, scale: 1 / 2147483648 };
    case 'float32': return { values: new Float32Array(aligned(4), start(4), data.length / 4), offset: 0, scale: 1 };
    case 'float64': return { values: new Float64Array(aligned(8), start(8), data.length / 8), offset: 0, scale: 1 };
    case 'pcm-s24': {
      const v = new Int32Array(data.length / 3);
      for (let i = 0, at = 0; i < v.length; i++, at += 3) v[i] = (data[at + 2]! << 24 | data[at + 1]! << 16 | data[at]! << 8) >> 8;
      return { values: v, offset: 0, scale: 1 / 8388608 };
    }
  }
}
