/**
 * A small WebM/Matroska demuxer for one thing: the Opus audio track of a browser
 * recording (MediaRecorder's audio/webm;codecs=opus). It walks the EBML elements once,
 * entering only the masters that lead to the track headers and the blocks, and yields the
 * track's Opus packets in order. No npm demuxer is both small and kept up (ebml and
 * ts-ebml: Node streams, last released in 2018-2020), hence these hundred lines.
 */
import { AudioError } from './audio-error.js';

/** What the Opus decoder needs from the track header (the OpusHead in CodecPrivate). */
export interface OpusTrack {
  channels: number;
  preSkip: number;
  /** Multistream layout (mapping family 1 or 255); absent for mono/stereo family 0. */
  streamCount?: number;
  coupledStreamCount?: number;
  channelMappingTable?: number[];
}

const ID = {
  ebml: 0x1a45dfa3, docType: 0x4282, segment: 0x18538067, tracks: 0x1654ae6b, trackEntry: 0xae, trackNumber: 0xd7,
  codecId: 0x86, codecPrivate: 0x63a2, cluster: 0x1f43b675, blockGroup: 0xa0, block: 0xa1, simpleBlock: 0xa3,
};
/** Masters walked into (their children are read); every other element is skipped whole. */
const ENTER = new Set([ID.ebml, ID.segment, ID.tracks, ID.trackEntry, ID.cluster, ID.blockGroup]);

interface Vint { value: number; length: number; unknown: boolean }

/** An EBML variable-length integer at `at`; `keepMarker` for element IDs. */
function vint(b: Uint8Array, at: number, keepMarker: boolean, file: string): Vint {
  const first = b[at];
  if (first === undefined) throw new AudioError(file, 'truncated', `WebM: ends inside an element header at byte ${at}`);
  if (first === 0) throw new AudioError(file, 'malformed', `WebM: invalid EBML number at byte ${at}`);
  const length = Math.clz32(first) - 23;
  if (at + length > b.length) throw new AudioError(file, 'truncated', `WebM: ends inside an element header at byte ${at}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let ones = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    ones &&= b[at + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && ones };
}

const text = (b: Uint8Array): string => String.fromCharCode(...b).replace(/\0+$/, '');

/** Splits a block's payload into its frames (no lacing, Xiph, fixed-size or EBML lacing). */
function unlace(b: Uint8Array, flags: number, file: string): Uint8Array[] {
  const lacing = (flags >> 1) & 3;
  if (lacing === 0) return [b];
  const count = b[0]! + 1;
  let at = 1;
  const sizes: number[] = [];
  if (lacing === 1) { // Xiph: each size as a run of 255s and a final byte
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      let byte: number;
      do { byte = b[at++]!; size += byte; } while (byte === 255 && at < b.length);
      sizes.push(size);
    }
  } else if (lacing === 3) { // EBML: first size, then signed differences
    let v = vint(b, at, false, file);
    at += v.length;
    sizes.push(v.value);
    for (let i = 1; i < count - 1; i++) {
      v = vint(b, at, false, file);
      at += v.length;
      sizes.push(sizes[i - 1]! + v.value - (2 ** (7 * v.length - 1) - 1));
    }
  } else { // fixed
    const size = (b.length - 1) / count;
    if (!Number.isInteger(size)) throw new AudioError(file, 'malformed', 'WebM: fixed-size lacing does not divide the block');
    return Array.from({ length: count }, (_, i) => b.subarray(1 + i * size, 1 + (i + 1) * size));
  }
  const frames: Uint8Array[] = [];
  for (const size of sizes) {
    if (size < 0 || at + size > b.length) throw new AudioError(file, 'malformed', 'WebM: laced frame sizes exceed the block');
    frames.push(b.subarray(at, at + size));
    at += size;
  }
  frames.push(b.subarray(at));
  return frames;
}

/** Parses an OpusHead (RFC 7845 section 5.1). */
export function parseOpusHead(h: Uint8Array, file: string): OpusTrack {
  if (h.length < 19 || text(h.subarray(0, 8)) !== 'OpusHead') throw new AudioError(file, 'malformed', 'WebM: the Opus track has no OpusHead');
  const channels = h[9]!;
  const preSkip = h[10]! | h[11]! << 8;
  const family = h[18]!;
  if (family === 0) return { channels, preSkip };
  if (h.length < 21 + channels) throw new AudioError(file, 'malformed', 'WebM: OpusHead channel mapping is cut short');
  return { channels, preSkip, streamCount: h[19]!, coupledStreamCount: h[20]!, channelMappingTable: Array.from(h.subarray(21, 21 + channels)) };
}

/**
 * Demuxes the first audio track of a WebM/Matroska file: its Opus header and a lazy
 * sequence of its packets. Throws an AudioError naming `file` for a track that is not
 * Opus, and for a file that is truncated or malformed (found as the packets are read).
 */
export function demuxWebmOpus(bytes: Uint8Array, file: string): { track: OpusTrack; packets: Generator<Uint8Array> } {
  let docType = '';
  let current: { number?: number; codec?: string; priv?: Uint8Array } | undefined;
  const entries: NonNullable<typeof current>[] = [];
  let at = 0;
  let firstBlock = -1;
  // Headers first: walk until the first block (a WebM file puts its Tracks before its Clusters).
  while (at < bytes.length) {
    const id = vint(bytes, at, true, file);
    const size = vint(bytes, at + id.length, false, file);
    const body = at + id.length + size.length;
    if (id.value === ID.simpleBlock || id.value === ID.block) { firstBlock = at; break; }
    if (ENTER.has(id.value)) {
      if (id.value === ID.trackEntry) entries.push(current = {});
      at = body;
      continue;
    }
    if (size.unknown) throw new AudioError(file, 'malformed', `WebM: element 0x${id.value.toString(16)} of unknown size`);
    if (body + size.value > bytes.length) throw new AudioError(file, 'truncated', `WebM: element 0x${id.value.toString(16)} at byte ${at} runs past the end of the file`);
    const value = bytes.subarray(body, body + size.value);
    if (id.value === ID.docType) docType = text(value);
    else if (current && id.value === ID.trackNumber) current.number = value.reduce((n, x) => n * 256 + x, 0);
    else if (current && id.value === ID.codecId) current.codec = text(value);
    else if (current && id.value === ID.codecPrivate) current.priv = value;
    at = body + size.value;
  }
  if (docType !== 'webm' && docType !== 'matroska') throw new AudioError(file, 'malformed', `EBML document type ${JSON.stringify(docType)}, not webm or matroska`);
  const audio = entries.find((e) => e.codec?.startsWith('A_'));
  if (!audio || audio.number === undefined) throw new AudioError(file, firstBlock < 0 ? 'truncated' : 'unsupported', 'WebM: no audio track');
  if (audio.codec !== 'A_OPUS') throw new AudioError(file, 'unsupported', `WebM audio codec ${audio.codec} (sayre decodes A_OPUS; other codecs need ffmpeg on PATH)`);
  if (!audio.priv) throw new AudioError(file, 'malformed', 'WebM: the Opus track has no CodecPrivate (OpusHead)');
  const track = parseOpusHead(audio.priv, file);
  const number = audio.number;

  function* packets(): Generator<Uint8Array> {
    if (firstBlock < 0) return;
    let pos = firstBlock;
    while (pos < bytes.length) {
      const id = vint(bytes, pos, true, file);
      const size = vint(bytes, pos + id.length, false, file);
      const body = pos + id.length + size.length;
      if (ENTER.has(id.value)) { pos = body; continue; }
      if (size.unknown) throw new AudioError(file, 'malformed', `WebM: element 0x${id.value.toString(16)} of unknown size`);
      if (body + size.value > bytes.length) throw new AudioError(file, 'truncated', `WebM: element 0x${id.value.toString(16)} at byte ${pos} runs past the end of the file`);
      if (id.value === ID.simpleBlock || id.value === ID.block) {
        const block = bytes.subarray(body, body + size.value);
        const tn = vint(block, 0, false, file);
        if (tn.value === number) {
          const flags = block[tn.length + 2];
          if (flags === undefined) throw new AudioError(file, 'malformed', `WebM: block at byte ${pos} has no header`);
          yield* unlace(block.subarray(tn.length + 3), flags, file);
        }
      }
      pos = body + size.value;
    }
  }
  return { track, packets: packets() };
}
