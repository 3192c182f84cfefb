/** Audio files from disk in any supported format (Node): the entry point the CLI and Recognizer use. */
import { readFile } from 'node:fs/promises';
import { type AudioChunk, type AudioStreamOptions, decodeAudioStream } from './audio-stream.js';
import { decodeAudio, type DecodedAudio } from './decode-audio.js';
import { ffmpegDecoder } from './ffmpeg-decode.js';

/** Options of {@link readAudio}: those of decodeAudioStream, and whether ffmpeg may read other formats. */
export interface ReadAudioOptions extends Omit<AudioStreamOptions, 'fallback'> {
  /** Let ffmpeg (when on PATH) read formats sayre does not decode itself. Default true. */
  ffmpeg?: boolean;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function streamOptions(path: string, o: ReadAudioOptions): AudioStreamOptions {
  return { ...o, ...(o.ffmpeg === false ? {} : { fallback: ffmpegDecoder(path) }) };
}

/** Reads and decodes a whole audio file (format by content) to mono samples at its own rate. */
export async function readAudio(path: string, options: ReadAudioOptions = {}): Promise<DecodedAudio> {
  return decodeAudio(await bytesOf(path), path, streamOptions(path, options));
}

/**
 * An audio file as mono pieces at its own rate, decoded as they are consumed. The
 * compressed bytes are read whole (a WAV file's too: 2 bytes a sample at 16 bits); the
 * float samples are never all in memory at once. `total` is the file's length in bytes,
 * against which each piece's `bytesRead` measures progress.
 */
export async function openAudio(path: string, options: ReadAudioOptions = {}): Promise<{ total: number; chunks: AsyncGenerator<AudioChunk> }> {
  const bytes = await bytesOf(path);
  return { total: bytes.length, chunks: decodeAudioStream(bytes, path, streamOptions(path, options)) };
}
