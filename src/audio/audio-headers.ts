/**
 * What the headers of compressed files promise, read before decoding: the rate and
 * channel count to check against sane bounds, and what a complete file must have, so that a
 * truncated one is reported rather than silently transcribed short.
 */
import { AudioError, checkAudioLayout } from './audio-error.js';
import { id3Length, isMpegFrame } from './audio-format.js';

/** FLAC's STREAMINFO: rate, channels and the total samples per channel (0 when the encoder did not know). */
export function flacStreamInfo(b: Uint8Array, file: string): { sampleRate: number; channels: number; totalSamples: number } {
  const at = id3Length(b) + 4 + 4; // "fLaC", then the first metadata block's 4-byte header
  if (b.length < at + 18) throw new AudioError(file, 'truncated', 'FLAC: shorter than its STREAMINFO block');
  if ((b[at - 4]! & 0x7f) !== 0) throw new AudioError(file, 'malformed', 'FLAC: the first metadata block is not STREAMINFO');
  const sampleRate = b[at + 10]! << 12 | b[at + 11]! << 4 | b[at + 12]! >> 4;
  const channels = ((b[at + 12]! >> 1) & 7) + 1;
  const totalSamples = (b[at + 13]! & 0x0f) * 2 ** 32 + (b[at + 14]! << 24 >>> 0) + (b[at + 15]! << 16 | b[at + 16]! << 8 | b[at + 17]!);
  checkAudioLayout(file, sampleRate, channels);
  return { sampleRate, channels, totalSamples };
}

/** The channel count (and rate, for Vorbis) in an Ogg stream's first packet. */
export function oggFirstPacket(b: Uint8Array, file: string, codec: 'vorbis' | 'opus'): void {
  const p = 27 + (b[26] ?? 0);
  if (b.length < p + 19) throw new AudioError(file, 'truncated', 'Ogg: shorter than its first header packet');
  if (codec === 'opus') return checkAudioLayout(file, 48000, b[p + 9]!);
  const rate = b[p + 12]! | b[p + 13]! << 8 | b[p + 14]! << 16 | b[p + 15]! << 24 >>> 0;
  checkAudioLayout(file, rate, b[p + 11]!);
}

/**
 * Throws unless the last Ogg page is whole and carries the end-of-stream flag: a file cut
 * anywhere (mid-page or between pages) fails this, a complete one passes.
 */
export function checkOggComplete(b: Uint8Array, file: string): void {
  // Pages are at most 65307 bytes: the last page's capture pattern is in the final 64 KiB.
  for (let at = b.length - 27; at >= Math.max(0, b.length - 65536); at--) {
    if (b[at] !== 0x4f || b[at + 1] !== 0x67 || b[at + 2] !== 0x67 || b[at + 3] !== 0x53) continue;
    const segments = b[at + 26]!;
    let end = at + 27 + segments;
    for (let i = 0; i < segments && at + 27 + i < b.length; i++) end += b[at + 27 + i]!;
    if (end !== b.length) continue; // a capture pattern inside packet data, or a cut page
    if (!(b[at + 5]! & 4)) throw new AudioError(file, 'truncated', 'Ogg: the last page has no end-of-stream flag (the file was cut short)');
    return;
  }
  throw new AudioError(file, 'truncated', 'Ogg: the file does not end with a whole page (it was cut short)');
}

/**
 * An MP3 file's first frame: its channel count, and the stream length its Xing/Info frame
 * declares (LAME and ffmpeg write one), which a truncated file falls short of. Throws
 * when no frame header follows the ID3 tag.
 */
export function mp3Info(b: Uint8Array, file: string): { channels: number; declaredBytes?: number; start: number } {
  let at = id3Length(b);
  // Some files pad between the tag and the first frame.
  const limit = Math.min(b.length, at + 65536);
  while (at < limit && !isMpegFrame(b, at)) at++;
  if (at >= limit) throw new AudioError(file, b.length <= at ? 'truncated' : 'malformed', 'MP3: no MPEG audio frame header found');
  const mpeg1 = ((b[at + 1]! >> 3) & 3) === 3;
  const mono = b[at + 3]! >> 6 === 3;
  const side = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
  const x = at + 4 + side;
  const tag = x + 8 <= b.length ? String.fromCharCode(...b.subarray(x, x + 4)) : '';
  if (tag !== 'Xing' && tag !== 'Info') return { channels: mono ? 1 : 2, start: at };
  const u32 = (p: number): number => (b[p]! << 24 >>> 0) + (b[p + 1]! << 16 | b[p + 2]! << 8 | b[p + 3]!);
  const flags = u32(x + 4);
  const bytesAt = x + 8 + (flags & 1 ? 4 : 0);
  const declaredBytes = flags & 2 && bytesAt + 4 <= b.length ? u32(bytesAt) : undefined;
  return { channels: mono ? 1 : 2, start: at, ...(declaredBytes ? { declaredBytes } : {}) };
}
