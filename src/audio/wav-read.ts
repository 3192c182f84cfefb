import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';
// wavefile is CommonJS: its named exports are not visible to Node's ESM loader.
const { WaveFile } = wavefile;
import { parseWavHeader, WavError } from './wav-header.js';
import type { WavEncoding } from './wav-header.js';
import { resample } from './resample.js';

/** Decoded audio: mono samples in [-1, 1) at `sampleRate`, plus what the file held. */
export interface Audio {
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file (mixed down to mono in `samples`). */
  channels: number;
  encoding: WavEncoding;
}

/** Full-scale divisor per integer encoding: int16 32767 reads back as 32767 / 32768. */
const SCALE: Partial<Record<WavEncoding, number>> = {
  'pcm-s16': 32768, 'pcm-s24': 8388608, 'pcm-s32': 2147483648, alaw: 32768, mulaw: 32768,
};

/**
 * Decodes the WAV file in `bytes` (8/16/24/32-bit integer, 32/64-bit float, A-law or
 * mu-law; any number of channels, averaged to mono; any sample rate). `file` names the
 * source in errors. Throws {@link WavError} for empty, truncated, malformed or
 * unsupported input.
 */
export function decodeWav(bytes: Uint8Array, file = '<buffer>'): Audio {
  const layout = parseWavHeader(bytes, file);
  let wav: InstanceType<typeof WaveFile>;
  try {
    wav = new WaveFile(bytes);
    if (layout.encoding === 'alaw') wav.fromALaw('16');
    else if (layout.encoding === 'mulaw') wav.fromMuLaw('16');
  } catch (err) {
    throw new WavError(file, 'malformed', err instanceof Error ? err.message : String(err));
  }
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(raw) ? raw : [raw];
  if (channels.length !== layout.channels) {
    throw new WavError(file, 'malformed', `decoded ${channels.length} channels, header says ${layout.channels}`);
  }
  const frames = layout.dataBytes / layout.blockAlign;
  const out = new Float32Array(frames);
  // Map each encoding to [-1, 1): unsigned 8-bit is centred on 128, floats pass through.
  const offset = layout.encoding === 'pcm-u8' ? -128 : 0;
  const scale = layout.encoding === 'pcm-u8' ? 128 : SCALE[layout.encoding] ?? 1;
  const k = 1 / (scale * channels.length);
  for (const ch of channels) {
    // wavefile also decodes the pad byte of an odd-sized data chunk: only `frames` count.
    if (ch.length < frames) throw new WavError(file, 'malformed', `decoded ${ch.length} frames, header says ${frames}`);
    for (let i = 0; i < frames; i++) out[i]! += (ch[i]! + offset) * k;
  }
  for (let i = 0; i < frames; i++) {
    if (!Number.isFinite(out[i]!)) throw new WavError(file, 'malformed', `sample ${i} is not a finite number`);
  }
  return { samples: out, sampleRate: layout.sampleRate, channels: layout.channels, encoding: layout.encoding };
}

function readError(path: string, err: unknown): Error {
  return new Error(`${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
}

/** Reads and decodes a WAV file (see {@link decodeWav}). */
export function readWav(path: string): Audio {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  return decodeWav(bytes, path);
}

/** Asynchronous {@link readWav}. */
export async function readWavAsync(path: string): Promise<Audio> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError(path, err);
  }
  return decodeWav(bytes, path);
}

/** Reads a WAV file as mono samples at `sampleRate`, resampling when the file's rate differs. */
export function loadAudio(path: string, sampleRate: number): Float32Array {
  const audio = readWav(path);
  return audio.sampleRate === sampleRate ? audio.samples : resample(audio.samples, audio.sampleRate, sampleRate);
}
