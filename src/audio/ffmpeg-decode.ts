/**
 * The optional fallback for formats sayre does not decode itself (AAC/M4A, AMR, WMA...):
 * ffmpeg, when it is on PATH, converts to 32-bit float mono WAV on a pipe. Node only.
 */
import { spawn } from 'node:child_process';
import { AudioError } from './audio-error.js';
import type { AudioChunk, FallbackDecoder } from './audio-stream.js';
import { parseWavHeader } from './wav-header.js';
import { wavChunks } from './wav-chunks.js';
import { ffmpegInput } from '../util/ffmpeg-input.js';

/** Runs ffmpeg on `path` (a regular file) or on a temporary copy of `bytes`, and collects its WAV output. */
function runFfmpeg(bytes: Uint8Array, file: string, path?: string): Promise<Uint8Array> {
  const input = ffmpegInput(bytes, path);
  return new Promise<Uint8Array>((resolve, reject) => {
    const args = ['-nostdin', '-v', 'error', '-i', input.path, '-vn', '-ac', '1', '-c:a', 'pcm_f32le', '-f', 'wav', 'pipe:1'];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    // its first complaint is the one to report: keep the start, bounded
    child.stderr.on('data', (b: Buffer) => { if (err.length < 2000) err = (err + b.toString()).slice(0, 2000); });
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
      ? new AudioError(file, 'unrecognised', 'not WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus or WebM/Opus, and ffmpeg (which reads other formats) is not on PATH')
      : new AudioError(file, 'unsupported', `ffmpeg failed to start: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new AudioError(file, 'unsupported', `ffmpeg cannot decode it either: ${input.complaint(err, file) || `exit ${code}`}`));
    });
  }).finally(input.done);
}

/** A fallback decoder that runs ffmpeg (on `path` when it is a regular file, else on a temporary copy of the bytes: ffmpeg seeks in MP4 files). */
export function ffmpegDecoder(path?: string): FallbackDecoder {
  return async function* (bytes: Uint8Array, file: string): AsyncGenerator<AudioChunk> {
    const wav = await runFfmpeg(bytes, file, path);
    const layout = parseWavHeader(wav, `${file} (through ffmpeg)`);
    let at = 0;
    for (const samples of wavChunks(wav, layout, file, 1 << 16)) {
      at += samples.length;
      yield { samples, sampleRate: layout.sampleRate, channels: layout.channels, format: 'ffmpeg', bytesRead: Math.round(bytes.length * at * layout.blockAlign / layout.dataBytes) };
    }
  };
}
