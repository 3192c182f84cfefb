/**
 * Audio formats told apart by their first bytes (magic numbers), never by the file's
 * extension: a browser recording saved as .wav, or an MP3 named .dat, still reads.
 */
import { asciiAt } from '../util/ascii-at.js';

/** The containers and codecs sayre decodes without outside programs, and the ones it only recognises. */
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg-vorbis' | 'ogg-opus' | 'webm' | 'ogg-other';

/** Bytes of an ID3v2 tag at the start of `b` (0 when there is none). */
export function id3Length(b: Uint8Array): number {
  if (asciiAt(b, 0, 3) !== 'ID3' || b.length < 10) return 0;
  // Sizes are "synchsafe": 7 bits per byte. A footer adds 10 bytes.
  const size = (b[6]! & 0x7f) << 21 | (b[7]! & 0x7f) << 14 | (b[8]! & 0x7f) << 7 | (b[9]! & 0x7f);
  return 10 + size + (b[5]! & 0x10 ? 10 : 0);
}

/** True when `b[at..]` starts with an MPEG audio frame header (sync, version, layer, bitrate, rate all valid). */
export function isMpegFrame(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1]! >> 3) & 3;
  const layer = (b[at + 1]! >> 1) & 3;
  const bitrate = b[at + 2]! >> 4;
  const rate = (b[at + 2]! >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && bitrate !== 0 && rate !== 3;
}

/**
 * The format of the audio in `bytes`, from its first bytes; undefined when unknown (ffmpeg
 * may still read it). An Ogg stream is told apart by its first packet, a WebM/Matroska file
 * by its EBML header (its codec is checked when it is demuxed).
 */
export function detectAudioFormat(bytes: Uint8Array): AudioFormat | undefined {
  const four = asciiAt(bytes, 0, 4);
  // A RIFF header cut before its form type is a truncated WAV file, for the WAV reader to report.
  if ((four === 'RIFF' || four === 'RIFX' || four === 'RF64') && (bytes.length < 12 || asciiAt(bytes, 8, 4) === 'WAVE')) return 'wav';
  if (four === 'fLaC') return 'flac';
  if (four === 'OggS') {
    // First page: 27-byte header, then the segment table, then the first packet.
    const segments = bytes[26] ?? 0;
    const packet = 27 + segments;
    if (asciiAt(bytes, packet, 8) === 'OpusHead') return 'ogg-opus';
    if (bytes[packet] === 1 && asciiAt(bytes, packet + 1, 6) === 'vorbis') return 'ogg-vorbis';
    return 'ogg-other';
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  const tag = id3Length(bytes);
  if (tag > 0) {
    if (asciiAt(bytes, tag, 4) === 'fLaC') return 'flac';
    return 'mp3'; // an ID3v2 tag is MP3's; the decoder checks the frames that follow
  }
  // A bare MPEG stream: two consecutive valid frame headers would be surer, but one valid
  // header at byte 0 is already rare in other data.
  if (isMpegFrame(bytes, 0)) return 'mp3';
  return undefined;
}

/** The format's name for messages. */
export const FORMAT_NAMES: Record<AudioFormat, string> = {
  wav: 'WAV', mp3: 'MP3', flac: 'FLAC', 'ogg-vorbis': 'Ogg Vorbis', 'ogg-opus': 'Ogg Opus', webm: 'WebM/Matroska', 'ogg-other': 'Ogg (not Vorbis or Opus)',
};
