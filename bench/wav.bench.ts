/**
 * WAV decoding speed: decodeWav (the whole file at once: the browser worker, readWav) and
 * wavChunks (mono pieces of 64 Ki frames: every Node reader), in seconds of audio per second
 * of decoding, on 2 minutes of 16 kHz 16-bit PCM (mono, and stereo) and of mono 24-bit and
 * float 32-bit. No peer: it compares sayre's two paths (wavefile's generic getSamples, the
 * obvious peer, takes minutes on these files). Medians of 5 passes after a warm-up pass.
 */
import { loadavg } from 'node:os';
import { wavChunks } from '../src/audio/wav-chunks.js';
import { parseWavHeader } from '../src/audio/wav-header.js';
import { decodeWav } from '../src/audio/wav-read.js';
import { encodeWav, type WavWriteFormat } from '../src/audio/wav-write.js';
import { median } from './torch.js';

const SR = 16000;
const SECONDS = 120;
const PASSES = 5;

/** `channels` interleaved channels of a chirp with noise, as WAV bytes. */
function wavBytes(channels: number, format: WavWriteFormat): Uint8Array {
  const n = SECONDS * SR;
  const x = new Float32Array(n * channels);
  let s = 1;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const t = Math.floor(i / channels) / SR;
    x[i] = 0.3 * Math.sin(2 * Math.PI * (200 + 50 * t) * t) + 0.05 * (s / 4294967296 - 0.5);
  }
  const bytes = encodeWav(x, SR, format);
  if (channels === 1) return bytes;
  // encodeWav writes mono: relabel the same data as `channels` channels at the same rate.
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const width = v.getUint16(34, true) / 8;
  v.setUint16(22, channels, true);
  v.setUint32(28, SR * width * channels, true);
  v.setUint16(32, width * channels, true);
  return bytes;
}

/** Seconds of audio per second of `decode`. */
function speed(bytes: Uint8Array, channels: number, decode: (b: Uint8Array) => number): number {
  const times: number[] = [];
  for (let p = 0; p <= PASSES; p++) {
    const t0 = process.hrtime.bigint();
    const n = decode(bytes);
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (n !== SECONDS * SR) throw new Error(`decoded ${n} frames of ${channels} channels, expected ${SECONDS * SR}`);
    if (p > 0) times.push(dt);
  }
  return SECONDS / median(times);
}

const whole = (b: Uint8Array): number => decodeWav(b, 'bench.wav').samples.length;
const pieces = (b: Uint8Array): number => {
  let n = 0;
  for (const c of wavChunks(b, parseWavHeader(b, 'bench.wav'), 'bench.wav', 1 << 16)) n += c.length;
  return n;
};

console.log(`WAV decoding, seconds of audio per second (x realtime); load average ${loadavg()[0]!.toFixed(1)}, figures noisy on a shared machine`);
console.log('| file | decodeWav | wavChunks (64 Ki frames) |');
console.log('|---|---|---|');
for (const [name, channels, format] of [['16-bit mono', 1, '16'], ['16-bit stereo', 2, '16'], ['24-bit mono', 1, '24'], ['float32 mono', 1, '32f']] as const) {
  const b = wavBytes(channels, format);
  console.log(`| ${name} | ${speed(b, channels, whole).toFixed(0)} | ${speed(b, channels, pieces).toFixed(0)} |`);
}
