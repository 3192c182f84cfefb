/**
 * Durations of audio files from their headers, without decoding a sample: WAV (the fmt
 * and data chunks), FLAC (STREAMINFO's total samples), MP3 (a Xing/Info frame count, else
 * a walk over the frame headers) and Ogg Vorbis/Opus (the last page's granule position).
 * The format is told by content, not by extension. Corpus importers use it to fill in the
 * manifests' durations for hundreds of thousands of files quickly.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** What a header says. */
export interface AudioHeaderInfo {
  format: 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus';
  sampleRate: number;
  /** Length in seconds. */
  seconds: number;
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
function readAt(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(Math.max(0, length));
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

const text = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n));

/** Bytes of an ID3v2 tag at the start of `head` (0 where there is none). */
function id3Size(head: Uint8Array): number {
  if (head.length < 10 || text(head, 0, 3) !== 'ID3') return 0;
  const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
  return 10 + size + (head[5]! & 0x10 ? 10 : 0);
}

function wavDuration(fd: number, fileSize: number, fail: (m: string) => never): AudioHeaderInfo {
  let pos = 12, rate = 0, blockAlign = 0;
  while (pos + 8 <= fileSize) {
    const h = readAt(fd, pos, 8);
    const view = new DataView(h.buffer, h.byteOffset, 8);
    const id = text(h, 0, 4), size = view.getUint32(4, true);
    if (id === 'fmt ') {
      const f = readAt(fd, pos + 8, 16);
      if (f.length < 16) fail('the fmt chunk is truncated');
      const fv = new DataView(f.buffer, f.byteOffset, 16);
      rate = fv.getUint32(4, true);
      blockAlign = fv.getUint16(12, true);
      if (rate === 0 || blockAlign === 0) fail(`the fmt chunk says ${rate} Hz, ${blockAlign}-byte frames`);
    } else if (id === 'data') {
      if (!rate) fail('data chunk before the fmt chunk');
      // streamed WAVs (written to a pipe) carry a placeholder size: the data is the rest of the file
      const bytes = Math.min(size, fileSize - pos - 8);
      return { format: 'wav', sampleRate: rate, seconds: Math.floor(bytes / blockAlign) / rate };
    }
    pos += 8 + size + (size & 1);
  }
  return fail('no data chunk');
}

function flacDuration(head: Uint8Array, start: number, fail: (m: string) => never): AudioHeaderInfo {
  const b = head.subarray(start);
  // "fLaC", then the STREAMINFO block (always first): a 4-byte block header and 34 bytes
  if (b.length < 42 || (b[4]! & 0x7f) !== 0) fail('no STREAMINFO block after "fLaC"');
  const rate = (b[18]! << 12) | (b[19]! << 4) | (b[20]! >> 4);
  const total = (b[21]! & 0x0f) * 2 ** 32 + new DataView(b.buffer, b.byteOffset + 22, 4).getUint32(0, false);
  if (rate === 0) fail('STREAMINFO gives sample rate 0');
  if (total === 0) fail('STREAMINFO does not give the number of samples (0: unknown)');
  return { format: 'flac', sampleRate: rate, seconds: total / rate };
}

const MP3_BITRATES: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Mp3Frame { rate: number; samples: number; bytes: number; mpeg1: boolean; mono: boolean }

/** The MPEG audio frame header at b[i..i+4), or null where there is none. */
function mp3Frame(b: Uint8Array, i: number): Mp3Frame | null {
  if (i + 4 > b.length || b[i] !== 0xff || (b[i + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[i + 1]! >> 3) & 3, layer = 4 - ((b[i + 1]! >> 1) & 3);
  const brIndex = b[i + 2]! >> 4, srIndex = (b[i + 2]! >> 2) & 3, padding = (b[i + 2]! >> 1) & 1;
  if (version === 1 || layer === 4 || brIndex === 0 || brIndex === 15 || srIndex === 3) return null;
  const mpeg1 = version === 3;
  const kbps = MP3_BITRATES[`${mpeg1 ? 1 : 2}-${layer}`]![brIndex]!, rate = MP3_RATES[version]![srIndex]!;
  const samples = layer === 1 ? 384 : layer === 2 || mpeg1 ? 1152 : 576;
  const bytes = layer === 1 ? (Math.floor((12 * kbps * 1000) / rate) + padding) * 4 : Math.floor((samples / 8) * kbps * 1000 / rate) + padding;
  return { rate, samples, bytes, mpeg1, mono: (b[i + 3]! >> 6) === 3 };
}

function mp3Duration(b: Uint8Array, start: number, fail: (m: string) => never): AudioHeaderInfo {
  let i = start;
  // skip padding between the tag and the first frame
  while (i < b.length && !mp3Frame(b, i)) i++;
  const first = mp3Frame(b, i);
  if (!first) return fail('no MPEG audio frame header');
  // A Xing/Info frame (LAME, most VBR files) counts the frames; it carries no audio itself.
  const side = first.mpeg1 ? (first.mono ? 17 : 32) : first.mono ? 9 : 17;
  const tag = text(b, i + 4 + side, 4);
  if ((tag === 'Xing' || tag === 'Info') && (b[i + 4 + side + 7]! & 1)) {
    const frames = new DataView(b.buffer, b.byteOffset + i + 4 + side + 8, 4).getUint32(0, false);
    return { format: 'mp3', sampleRate: first.rate, seconds: (frames * first.samples) / first.rate };
  }
  let samples = 0;
  for (let f = mp3Frame(b, i); f && i + f.bytes <= b.length; f = mp3Frame(b, i)) {
    samples += f.samples;
    i += f.bytes;
  }
  if (samples === 0) fail('the first MPEG frame runs past the end of the file');
  return { format: 'mp3', sampleRate: first.rate, seconds: samples / first.rate };
}

function oggDuration(fd: number, head: Uint8Array, fileSize: number, fail: (m: string) => never): AudioHeaderInfo {
  // the first page holds the codec's identification packet
  const packet = 27 + head[26]!;
  let rate: number, preSkip = 0, format: AudioHeaderInfo['format'];
  if (text(head, packet, 8) === 'OpusHead') {
    format = 'ogg-opus';
    rate = 48000; // Opus granule positions count 48 kHz samples whatever the input rate
    preSkip = head[packet + 10]! | (head[packet + 11]! << 8);
  } else if (text(head, packet, 7) === '\x01vorbis') {
    format = 'ogg-vorbis';
    rate = new DataView(head.buffer, head.byteOffset + packet + 12, 4).getUint32(0, true);
  } else {
    return fail('an Ogg stream of neither Vorbis nor Opus');
  }
  const tailStart = Math.max(0, fileSize - 65536);
  const tail = readAt(fd, tailStart, fileSize - tailStart);
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] === 0x4f && text(tail, i, 4) === 'OggS') {
      const granule = Number(new DataView(tail.buffer, tail.byteOffset + i + 6, 8).getBigInt64(0, true));
      if (granule < 0) continue;
      return { format, sampleRate: rate, seconds: Math.max(0, granule - preSkip) / rate };
    }
  }
  return fail('no Ogg page with a granule position in the last 64 KiB');
}

/**
 * The format, sample rate and length of the audio file at `path`, from its headers.
 * Throws an error naming the file for a file it cannot read, or one in another format.
 */
export function audioHeaderInfo(path: string): AudioHeaderInfo {
  const fail = (m: string): never => { throw new Error(`${path}: ${m}`); };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) fail('empty file');
    const head = readAt(fd, 0, 4096);
    const magic = text(head, 0, 4);
    if (magic === 'RIFF' && text(head, 8, 4) === 'WAVE') return wavDuration(fd, size, fail);
    if (magic === 'fLaC') return flacDuration(head, 0, fail);
    if (magic === 'OggS') return oggDuration(fd, head, size, fail);
    const skip = id3Size(head);
    if (skip > 0 || mp3Frame(head, 0)) {
      const whole = readAt(fd, 0, size);
      if (text(whole, skip, 4) === 'fLaC') return flacDuration(whole, skip, fail);
      return mp3Duration(whole, skip, fail);
    }
    return fail(`not WAV, FLAC, MP3 or Ogg (starts with ${JSON.stringify(magic)})`);
  } finally {
    closeSync(fd);
  }
}
