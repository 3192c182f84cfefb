/** Whole-file decoding over {@link decodeAudioStream}: for short audio, and the browser. */
import type { AudioFormat } from './audio-format.js';
import { type AudioStreamOptions, decodeAudioStream } from './audio-stream.js';

/** A decoded file: mono samples in [-1, 1) at the file's rate, and what the file held. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  format: AudioFormat | 'ffmpeg';
}

/**
 * Decodes an audio file's bytes whole (WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus, WebM/Opus,
 * by content; others through `options.fallback`). `file` names it in errors (AudioError).
 */
export async function decodeAudio(bytes: Uint8Array, file = '<buffer>', options: AudioStreamOptions = {}): Promise<DecodedAudio> {
  const pieces: Float32Array[] = [];
  let first: Omit<DecodedAudio, 'samples'> | undefined;
  let length = 0;
  for await (const c of decodeAudioStream(bytes, file, options)) {
    first ??= { sampleRate: c.sampleRate, channels: c.channels, format: c.format };
    pieces.push(c.samples);
    length += c.samples.length;
  }
  const samples = new Float32Array(length);
  let at = 0;
  for (const p of pieces) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, ...first! };
}
