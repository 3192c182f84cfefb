/** Audio files from disk in any supported format (Node): the entry point the CLI and Recognizer use. */
import { open } from 'node:fs/promises';
import { readFileBounded } from '../util/read-bounded.js';
import { type AudioChunk, type AudioStreamOptions, checkedChunks, decodeAudioStream } from './audio-stream.js';
import { decodeAudio, type DecodedAudio } from './decode-audio.js';
import { ffmpegDecoder } from './ffmpeg-decode.js';
import { streamableWav, streamWavFile } from './wav-file-stream.js';

/** Options of {@link readAudio}: those of decodeAudioStream, and whether ffmpeg may read other formats. */
export interface ReadAudioOptions extends Omit<AudioStreamOptions, 'fallback'> {
  /** Let ffmpeg (when on PATH) read formats sayre does not decode itself. Default true. */
  ffmpeg?: boolean;
}

const readError = (path: string, err: unknown): Error => new Error(`${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`);

// Bounded: a regular file by its size, anything else (a pipe, /dev/zero) by maxStreamBytes.
const bytesOf = (path: string): Uint8Array => readFileBounded(path, 'audio file');

function streamOptions(path: string | undefined, o: ReadAudioOptions): AudioStreamOptions {
  return { ...o, ...(o.ffmpeg === false ? {} : { fallback: ffmpegDecoder(path) }) };
}

/** An audio file's bytes (read from a pipe, say) decoded a piece at a time, as {@link openAudio} decodes a file's: ffmpeg, on a temporary copy, reads formats sayre does not. */
export function decodeAudioBytes(bytes: Uint8Array, name: string, options: ReadAudioOptions = {}): AsyncGenerator<AudioChunk> {
  return decodeAudioStream(bytes, name, streamOptions(undefined, options));
}

/** Reads and decodes a whole audio file (format by content) to mono samples at its own rate. */
export async function readAudio(path: string, options: ReadAudioOptions = {}): Promise<DecodedAudio> {
  return decodeAudio(bytesOf(path), path, streamOptions(path, options));
}

/**
 * An audio file as mono pieces at its own rate, decoded as they are consumed. A WAV file
 * is read from disk a block at a time; a compressed file's bytes are read whole (a tenth
 * of its PCM's size or less) and decoded a piece at a time, so the float samples are never
 * all in memory at once. `total` is the file's length in bytes, against which each piece's
 * `bytesRead` measures progress.
 */
export async function openAudio(path: string, options: ReadAudioOptions = {}): Promise<{ total: number; chunks: AsyncGenerator<AudioChunk> }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw readError(path, err);
  }
  let size: number;
  try {
    size = (await handle.stat()).size;
    const layout = size > 0 ? await streamableWav(handle, size, path) : undefined;
    if (layout) return { total: size, chunks: checkedChunks(streamWavFile(handle, layout, path, options.chunkBytes ?? 256 << 10), path, options) };
  } catch (err) {
    await handle.close();
    throw err;
  }
  await handle.close();
  const bytes = bytesOf(path);
  return { total: bytes.length, chunks: decodeAudioStream(bytes, path, streamOptions(path, options)) };
}
