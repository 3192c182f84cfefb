/**
 * Audio of any supported format, decoded a piece at a time: the one reader under
 * {@link decodeAudio}, `sayre transcribe`'s long-audio path and `sayre serve`. Works in
 * Node and in browsers (no Node module here; the ffmpeg fallback is passed in by Node code).
 */
import { AudioError, checkAudioLayout } from './audio-error.js';
import { checkOggComplete, flacStreamInfo, mp3Info, oggFirstPacket } from './audio-headers.js';
import { type AudioFormat, detectAudioFormat, FORMAT_NAMES } from './audio-format.js';
import { mixToMono } from './mono-mix.js';
import { type DecodedBlock, openByteDecoder, openOpusDecoder } from './wasm-decoders.js';
import { parseWavHeader, WavError } from './wav-header.js';
import { wavChunks } from './wav-chunks.js';
import { demuxWebmOpus } from './webm-demux.js';

/** A piece of decoded audio: mono samples in [-1, 1) at the file's own rate. */
export interface AudioChunk {
  samples: Float32Array;
  sampleRate: number;
  /** Channels in the file (averaged into `samples`). */
  channels: number;
  format: AudioFormat | 'ffmpeg';
  /** Input bytes consumed so far (for progress); the total is the file's length. */
  bytesRead: number;
}

/** Decodes what the built-in decoders do not know (Node: ffmpeg, see ffmpeg-decode.ts). */
export type FallbackDecoder = (bytes: Uint8Array, file: string) => AsyncIterable<AudioChunk>;

/** Options of {@link decodeAudioStream}. */
export interface AudioStreamOptions {
  /** Input bytes fed to a decoder at a time (default 256 KiB); also about the size of each piece. */
  chunkBytes?: number;
  /** Longest audio accepted, in seconds (default: no limit); longer throws an AudioError `too-long`. */
  maxSeconds?: number;
  /** For formats sayre does not decode itself; without one they are an `unrecognised` AudioError. */
  fallback?: FallbackDecoder;
}

const SUPPORTED = 'sayre reads WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus and WebM/Opus';

function blockError(file: string, format: AudioFormat, d: DecodedBlock): void {
  const e = d.errors[0];
  if (e) throw new AudioError(file, 'malformed', `${FORMAT_NAMES[format]} decoder: ${e.message} (frame ${e.frameNumber})`);
}

/**
 * libFLAC's wrapper divides integers by 2^(bits-1) - 1; WAV readers (sayre's, sox,
 * torchaudio) by 2^(bits-1). Rescaled, a FLAC file decodes to exactly its WAV's samples
 * (at 16 bits and below, where a float32 holds the integer exactly).
 */
function rescaleLossless(samples: Float32Array, bits: number): void {
  const top = 2 ** (bits - 1);
  if (bits <= 16) {
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(samples[i]! * (top - 1)) / top;
  } else {
    const k = (top - 1) / top;
    for (let i = 0; i < samples.length; i++) samples[i]! *= k;
  }
}

async function* wasmChunks(bytes: Uint8Array, file: string, format: 'mp3' | 'flac' | 'ogg-vorbis' | 'ogg-opus', step: number): AsyncGenerator<AudioChunk> {
  const info = format === 'flac' ? flacStreamInfo(bytes, file) : undefined;
  const mp3 = format === 'mp3' ? mp3Info(bytes, file) : undefined;
  // Trailing tags (ID3v1: 128 bytes) may follow the stream: only a real shortfall counts.
  if (mp3?.declaredBytes && bytes.length - mp3.start < mp3.declaredBytes - 4) {
    throw new AudioError(file, 'truncated', `MP3: ${bytes.length - mp3.start} bytes of audio frames, the Xing/Info header declares ${mp3.declaredBytes}`);
  }
  if (format === 'ogg-vorbis' || format === 'ogg-opus') {
    oggFirstPacket(bytes, file, format === 'ogg-opus' ? 'opus' : 'vorbis');
    checkOggComplete(bytes, file);
  }
  const decoder = await openByteDecoder(format);
  let frames = 0;
  try {
    // mpg123 always gives two channels; the frame header says how many the file has.
    let channels = info?.channels ?? mp3?.channels ?? 0;
    const emit = (d: DecodedBlock, bytesRead: number): AudioChunk | undefined => {
      blockError(file, format, d);
      if (d.samplesDecoded === 0) return undefined;
      checkAudioLayout(file, d.sampleRate, d.channelData.length);
      if (!mp3) channels = d.channelData.length;
      frames += d.samplesDecoded;
      if (d.bitDepth) for (const c of d.channelData) rescaleLossless(c.subarray(0, d.samplesDecoded), d.bitDepth);
      return { samples: mixToMono(d.channelData, d.samplesDecoded), sampleRate: d.sampleRate, channels, format, bytesRead };
    };
    for (let at = 0; at < bytes.length; at += step) {
      const end = Math.min(bytes.length, at + step);
      const c = emit(await decoder.decode(bytes.subarray(at, end)), end);
      if (c) yield c;
    }
    const c = emit(await decoder.flush(), bytes.length);
    if (c) yield c;
  } finally {
    decoder.free();
  }
  if (info && info.totalSamples > 0 && frames < info.totalSamples) {
    throw new AudioError(file, 'truncated', `FLAC: decoded ${frames} of the ${info.totalSamples} samples its header promises`);
  }
  if (frames === 0) throw new AudioError(file, 'empty', `no audio frames could be decoded as ${FORMAT_NAMES[format]}`);
}

async function* webmChunks(bytes: Uint8Array, file: string, step: number): AsyncGenerator<AudioChunk> {
  const { track, packets } = demuxWebmOpus(bytes, file);
  checkAudioLayout(file, 48000, track.channels);
  const decoder = await openOpusDecoder(track);
  let frames = 0;
  try {
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    let read = 0;
    const flush = (): AudioChunk | undefined => {
      const d = decoder.decodeFrames(batch);
      batch = [];
      batchBytes = 0;
      blockError(file, 'webm', d);
      if (d.samplesDecoded === 0) return undefined;
      frames += d.samplesDecoded;
      return { samples: mixToMono(d.channelData, d.samplesDecoded), sampleRate: d.sampleRate, channels: track.channels, format: 'webm', bytesRead: Math.min(read, bytes.length) };
    };
    for (const p of packets) {
      batch.push(p);
      batchBytes += p.length;
      read = p.byteOffset - bytes.byteOffset + p.length;
      if (batchBytes >= step / 4) {
        const c = flush();
        if (c) yield c;
      }
    }
    if (batch.length > 0) {
      read = bytes.length;
      const c = flush();
      if (c) yield c;
    }
  } finally {
    decoder.free();
  }
  if (frames === 0) throw new AudioError(file, 'empty', 'the WebM file holds no Opus audio');
}

function* wavFileChunks(bytes: Uint8Array, file: string, step: number): Generator<AudioChunk> {
  let layout;
  try {
    layout = parseWavHeader(bytes, file);
  } catch (err) {
    if (err instanceof WavError) throw new AudioError(file, err.kind, err.message, err.message);
    throw err;
  }
  checkAudioLayout(file, layout.sampleRate, layout.channels);
  const frames = Math.max(1, Math.floor(step / layout.blockAlign));
  let at = 0;
  for (const samples of wavChunks(bytes, layout, file, frames)) {
    at += samples.length;
    yield { samples, sampleRate: layout.sampleRate, channels: layout.channels, format: 'wav', bytesRead: layout.dataOffset + at * layout.blockAlign };
  }
}

/**
 * Decodes the audio file in `bytes` (WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus or WebM/Opus,
 * told apart by content) a piece at a time, as mono pieces at the file's own rate. `file`
 * names it in errors: an empty, truncated, malformed or unsupported file throws an
 * {@link AudioError} (from the generator, possibly after some pieces).
 */
export async function* decodeAudioStream(bytes: Uint8Array, file = '<buffer>', options: AudioStreamOptions = {}): AsyncGenerator<AudioChunk> {
  if (bytes.length === 0) throw new AudioError(file, 'empty', 'the file has no bytes');
  const step = options.chunkBytes ?? 256 << 10;
  const format = detectAudioFormat(bytes);
  let source: Iterable<AudioChunk> | AsyncIterable<AudioChunk>;
  if (format === 'wav') source = wavFileChunks(bytes, file, step);
  else if (format === 'webm') source = webmChunks(bytes, file, step);
  else if (format && format !== 'ogg-other') source = wasmChunks(bytes, file, format, step);
  else if (options.fallback) source = options.fallback(bytes, file);
  else {
    const head = Array.from(bytes.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new AudioError(file, format ? 'unsupported' : 'unrecognised', `${format ? FORMAT_NAMES[format] : `first bytes ${head}`}; ${SUPPORTED}, and other formats when ffmpeg is on PATH`);
  }
  yield* checkedChunks(source, file, options);
}

/** `source`'s pieces, checked: one sample rate throughout, at most `options.maxSeconds` of audio. */
export async function* checkedChunks(source: Iterable<AudioChunk> | AsyncIterable<AudioChunk>, file: string, options: AudioStreamOptions): AsyncGenerator<AudioChunk> {
  let seconds = 0;
  let rate = 0;
  for await (const chunk of source) {
    rate ||= chunk.sampleRate;
    if (chunk.sampleRate !== rate) throw new AudioError(file, 'unsupported', `the sample rate changes mid-stream (${rate} -> ${chunk.sampleRate} Hz)`);
    seconds += chunk.samples.length / chunk.sampleRate;
    if (options.maxSeconds !== undefined && seconds > options.maxSeconds) {
      throw new AudioError(file, 'too-long', `more than ${options.maxSeconds} s of audio`);
    }
    yield chunk;
  }
}
