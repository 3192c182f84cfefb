import { LIMIT_FLAGS, limits } from '../util/limits.js';

/**
 * Walks the RIFF chunks of a WAV file and validates them before any sample is decoded, so
 * that a truncated, malformed or unsupported file is reported clearly instead of being
 * decoded into garbage.
 */

/** Why a WAV file was rejected. */
export type WavErrorKind = 'empty' | 'truncated' | 'malformed' | 'unsupported';

/** A WAV file that cannot be read; `file` names it and `kind` says why. */
export class WavError extends Error {
  constructor(readonly file: string, readonly kind: WavErrorKind, detail: string) {
    super(`${file}: ${kind === 'unsupported' ? 'unsupported WAV' : `${kind} WAV file`}: ${detail}`);
    this.name = 'WavError';
  }
}

/** The sample encodings sayre reads. */
export type WavEncoding = 'pcm-u8' | 'pcm-s16' | 'pcm-s24' | 'pcm-s32' | 'float32' | 'float64' | 'alaw' | 'mulaw';

/** What the header says about the samples. */
export interface WavLayout {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes per frame (all channels of one instant). */
  blockAlign: number;
  /** Byte offset and length of the sample data. */
  dataOffset: number;
  dataBytes: number;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  2: 'Microsoft ADPCM', 0x11: 'IMA ADPCM', 0x31: 'GSM 6.10', 0x55: 'MPEG layer 3', 0x50: 'MPEG', 0x40: 'G.721 ADPCM',
};

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

function encodingOf(format: number, bits: number, file: string): WavEncoding {
  const bad = (what: string): never => { throw new WavError(file, 'unsupported', what); };
  switch (format) {
    case FORMAT_PCM:
      if (bits === 8) return 'pcm-u8';
      if (bits === 16) return 'pcm-s16';
      if (bits === 24) return 'pcm-s24';
      if (bits === 32) return 'pcm-s32';
      return bad(`${bits}-bit integer PCM (supported: 8, 16, 24, 32)`);
    case FORMAT_FLOAT:
      if (bits === 32) return 'float32';
      if (bits === 64) return 'float64';
      return bad(`${bits}-bit float PCM (supported: 32, 64)`);
    case FORMAT_ALAW:
      if (bits === 8) return 'alaw';
      return bad(`${bits}-bit A-law (supported: 8)`);
    case FORMAT_MULAW:
      if (bits === 8) return 'mulaw';
      return bad(`${bits}-bit mu-law (supported: 8)`);
    default:
      return bad(`encoding ${FORMAT_NAMES[format] ?? `format tag 0x${format.toString(16)}`} (supported: integer PCM, float PCM, A-law, mu-law)`);
  }
}

/**
 * Validates the RIFF/WAVE structure of `bytes` and returns the sample layout. Throws a
 * {@link WavError} naming `file` for an empty, truncated, malformed or unsupported file.
 * `fileLength`: `bytes` is only the start of a file this long (it must reach the data
 * chunk's header), so that a long file can be read a block at a time.
 */
export function parseWavHeader(bytes: Uint8Array, file: string, fileLength = bytes.length): WavLayout {
  if (bytes.length === 0) throw new WavError(file, 'empty', 'the file has no bytes');
  if (bytes.length < 12) throw new WavError(file, 'truncated', `only ${bytes.length} bytes, shorter than a RIFF header`);
  const riff = fourcc(bytes, 0);
  if (riff === 'RF64' || riff === 'RIFX') throw new WavError(file, 'unsupported', `${riff} container (supported: RIFF little-endian)`);
  if (riff !== 'RIFF') throw new WavError(file, 'malformed', `starts with ${JSON.stringify(riff)}, not "RIFF"`);
  if (fourcc(bytes, 8) !== 'WAVE') throw new WavError(file, 'malformed', `RIFF form type is ${JSON.stringify(fourcc(bytes, 8))}, not "WAVE"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16) throw new WavError(file, 'malformed', `fmt chunk of ${size} bytes (at least 16 expected)`);
      if (body + size > bytes.length) throw new WavError(file, 'truncated', 'the fmt chunk runs past the end of the file');
      let format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40) throw new WavError(file, 'malformed', `WAVE_FORMAT_EXTENSIBLE fmt chunk of ${size} bytes (40 expected)`);
        format = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = { format, channels, sampleRate, blockAlign, bits };
    } else if (id === 'data') {
      if (!fmt) throw new WavError(file, 'malformed', 'data chunk before the fmt chunk');
      const encoding = encodingOf(fmt.format, fmt.bits, file);
      if (fmt.channels === 0) throw new WavError(file, 'malformed', 'zero channels');
      if (fmt.sampleRate === 0) throw new WavError(file, 'malformed', 'sample rate 0');
      checkSampleRate(fmt.sampleRate, file);
      const expectAlign = fmt.channels * (fmt.bits / 8);
      if (fmt.blockAlign !== expectAlign) {
        throw new WavError(file, 'malformed', `block align ${fmt.blockAlign} does not match ${fmt.channels} channels of ${fmt.bits} bits`);
      }
      const remaining = fileLength - body;
      // A writer that streams to a pipe cannot go back to fill in the sizes, and leaves a
      // placeholder of 2 GiB or more (espeak-ng --stdout: 0x7ffff000): the data is the rest of the file.
      const streamed = size >= 0x7fff0000 && view.getUint32(4, true) >= 0x7fff0000;
      if (streamed) {
        const whole = remaining - (remaining % fmt.blockAlign);
        if (whole === 0) throw new WavError(file, 'empty', 'the (streamed) data chunk holds no samples');
        return {
          encoding, channels: fmt.channels, sampleRate: fmt.sampleRate, bitsPerSample: fmt.bits,
          blockAlign: fmt.blockAlign, dataOffset: body, dataBytes: whole,
        };
      }
      if (size > remaining) {
        throw new WavError(file, 'truncated', `the data chunk declares ${size} bytes but only ${remaining} remain`);
      }
      if (size % fmt.blockAlign !== 0) {
        throw new WavError(file, 'truncated', `the data chunk holds ${size} bytes, not a whole number of ${fmt.blockAlign}-byte frames`);
      }
      if (size === 0) throw new WavError(file, 'empty', 'the data chunk holds no samples');
      return {
        encoding, channels: fmt.channels, sampleRate: fmt.sampleRate, bitsPerSample: fmt.bits,
        blockAlign: fmt.blockAlign, dataOffset: body, dataBytes: size,
      };
    }
    pos = body + size + (size & 1); // chunks are padded to an even length
  }
  if (!fmt) throw new WavError(file, pos > bytes.length ? 'truncated' : 'malformed', 'no fmt chunk');
  throw new WavError(file, pos > bytes.length ? 'truncated' : 'malformed', 'no data chunk');
}

/**
 * Throws a {@link WavError} for a sample rate outside the `minSampleRate`-`maxSampleRate`
 * limits (1 kHz-384 kHz by default): a header claiming 4 GHz or 8 Hz would make the
 * resampler allocate or compute without bound.
 */
export function checkSampleRate(rate: number, file: string): void {
  const { minSampleRate: lo, maxSampleRate: hi } = limits();
  if (rate < lo) throw new WavError(file, 'unsupported', `sample rate ${rate} Hz is below the ${lo} Hz allowed (limit minSampleRate; lower it with ${LIMIT_FLAGS.minSampleRate})`);
  if (rate > hi) throw new WavError(file, 'unsupported', `sample rate ${rate} Hz is above the ${hi} Hz allowed (limit maxSampleRate; raise it with ${LIMIT_FLAGS.maxSampleRate})`);
}
