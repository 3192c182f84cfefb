import { readFile, stat } from 'node:fs/promises';
import { parseWavHeader } from './wav-header.js';
import type { WavEncoding } from './wav-header.js';
import { wavChunks } from './wav-chunks.js';
import { resample } from './resample.js';
import { readFileBounded } from '../util/read-bounded.js';
import { checkLimit } from '../util/limits.js';

/** Decoded audio: mono samples in [-1, 1) at `sampleRate`, plus what the file held. */
export interface Audio {
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file (mixed down to mono in `samples`). */
  channels: number;
  encoding: WavEncoding;
}

/**
 * Decodes the WAV file in `bytes` (8/16/24/32-bit integer, 32/64-bit float, A-law or
 * mu-law; any number of channels, averaged to mono; any sample rate). `file` names the
 * source in errors. Throws {@link WavError} for empty, truncated, malformed or
 * unsupported input.
 *
 * The chunks are validated first (parseWavHeader); the samples are then converted by
 * {@link wavChunks} as one piece, the code every Node reader converts its pieces with.
 */
export function decodeWav(bytes: Uint8Array, file = '<buffer>'): Audio {
  const layout = parseWavHeader(bytes, file);
  const [samples = new Float32Array(0)] = wavChunks(bytes, layout, file, Math.max(1, layout.dataBytes / layout.blockAlign));
  return { samples, sampleRate: layout.sampleRate, channels: layout.channels, encoding: layout.encoding };
}

function readError(path: string, err: unknown): Error {
  return new Error(`${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
}

/** Reads and decodes a WAV file (see {@link decodeWav}); the read is bounded (maxFileBytes, maxStreamBytes). */
export function readWav(path: string): Audio {
  return decodeWav(readFileBounded(path, 'WAV file'), path);
}

/** Asynchronous {@link readWav} (regular files; other kinds are read by readWav's bounded read). */
export async function readWavAsync(path: string): Promise<Audio> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw readError(path, err);
  }
  if (!st.isFile()) return readWav(path);
  checkLimit(path, 'maxFileBytes', st.size, 'WAV file size in bytes');
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
