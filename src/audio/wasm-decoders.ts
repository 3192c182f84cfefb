/**
 * The WebAssembly decoders from npm (wasm-audio-decoders: mpg123, libFLAC, libvorbis,
 * libopus) behind one small interface. Each is imported only when a file of its format
 * arrives, so that starting sayre, or loading a page, costs nothing for formats unused.
 */
import type { CodecFrame, OggPage } from 'codec-parser';
import { splitTrailingFrame } from './flac-frames.js';
import type { OpusTrack } from './webm-demux.js';

/** What a decoder returns for the bytes (or packets) it was given. */
export interface DecodedBlock {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  /** Bits per sample of a lossless format (FLAC), whose decoder divides by 2^(bits-1) - 1. */
  bitDepth?: number;
  errors: { message: string; frameNumber: number }[];
}

/** A decoder fed bytes in order: decode() each piece, flush() at the end, free() always. */
export interface ByteDecoder {
  decode(bytes: Uint8Array): Promise<DecodedBlock>;
  flush(): Promise<DecodedBlock>;
  free(): void;
}

const EMPTY: DecodedBlock = { channelData: [], samplesDecoded: 0, sampleRate: 0, errors: [] };

/** A decoder for a byte-stream format. */
export async function openByteDecoder(format: 'mp3' | 'flac' | 'ogg-vorbis' | 'ogg-opus'): Promise<ByteDecoder> {
  switch (format) {
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder');
      const d = new MPEGDecoder();
      await d.ready;
      return { decode: async (b) => d.decode(b), flush: async () => EMPTY, free: () => d.free() };
    }
    case 'flac': {
      const [{ FLACDecoder }, { default: CodecParser }] = await Promise.all([import('@wasm-audio-decoders/flac'), import('codec-parser')]);
      const d = new FLACDecoder();
      await d.ready;
      // Frames split here rather than by d.decode(), which loses a short last frame (see flac-frames.ts).
      const parser = new CodecParser('audio/flac');
      let held: Uint8Array | undefined;
      const frames = (it: Iterator<CodecFrame | OggPage>, last: boolean): Uint8Array[] => {
        const out: Uint8Array[] = held ? [held] : [];
        for (let r = it.next(); !r.done; r = it.next()) out.push((r.value as CodecFrame).data);
        held = last ? undefined : out.pop();
        return last ? [...out.slice(0, -1), ...(out.length ? splitTrailingFrame(out[out.length - 1]!) : [])] : out;
      };
      return {
        decode: (b) => d.decodeFrames(frames(parser.parseChunk(b), false)),
        flush: () => d.decodeFrames(frames(parser.flush(), true)),
        free: () => d.free(),
      };
    }
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      const d = new OggVorbisDecoder();
      await d.ready;
      return { decode: (b) => d.decode(b), flush: () => d.flush(), free: () => d.free() };
    }
    case 'ogg-opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      const d = new OggOpusDecoder();
      await d.ready;
      return { decode: async (b) => d.decode(b), flush: () => d.flush(), free: () => d.free() };
    }
  }
}

/** An Opus packet decoder for a demuxed track (WebM), at 48 kHz. */
export async function openOpusDecoder(track: OpusTrack): Promise<{ decodeFrames(packets: Uint8Array[]): DecodedBlock; free(): void }> {
  const { OpusDecoder } = await import('opus-decoder');
  const d = new OpusDecoder({
    channels: track.channels, preSkip: track.preSkip,
    ...(track.streamCount === undefined ? {} : { streamCount: track.streamCount, coupledStreamCount: track.coupledStreamCount, channelMappingTable: track.channelMappingTable }),
  });
  await d.ready;
  return { decodeFrames: (p) => d.decodeFrames(p), free: () => d.free() };
}
