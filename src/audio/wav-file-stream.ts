/**
 * A WAV file read from disk a block at a time (Node): the header from the first bytes,
 * then the sample data in blocks, so that an hour of WAV costs one block of memory, not
 * the file. Companded (A-law, mu-law) files and headers longer than the first read are
 * left to the whole-file reader (undefined here).
 */
import type { FileHandle } from 'node:fs/promises';
import { AudioError, checkAudioLayout } from './audio-error.js';
import { detectAudioFormat } from './audio-format.js';
import type { AudioChunk } from './audio-stream.js';
import { parseWavHeader, WavError, type WavLayout } from './wav-header.js';
import { wavChunks } from './wav-chunks.js';

const HEAD_BYTES = 1 << 20;

/** The layout of the WAV file open as `handle` (of `size` bytes) when it can be streamed; undefined otherwise. */
export async function streamableWav(handle: FileHandle, size: number, file: string): Promise<WavLayout | undefined> {
  const head = new Uint8Array(Math.min(size, HEAD_BYTES));
  await handle.read(head, 0, head.length, 0);
  if (detectAudioFormat(head) !== 'wav') return undefined;
  let layout: WavLayout;
  try {
    layout = parseWavHeader(head, file, size);
  } catch (err) {
    if (err instanceof WavError && size > head.length) return undefined; // chunks beyond the first MiB: read whole
    if (err instanceof WavError) throw new AudioError(file, err.kind, err.message, err.message);
    throw err;
  }
  if (layout.encoding === 'alaw' || layout.encoding === 'mulaw') return undefined;
  checkAudioLayout(file, layout.sampleRate, layout.channels);
  return layout;
}

/** The samples of a WAV file open as `handle`, `layout` from {@link streamableWav}, in mono pieces of about `step` bytes. Closes the handle. */
export async function* streamWavFile(handle: FileHandle, layout: WavLayout, file: string, step: number): AsyncGenerator<AudioChunk> {
  try {
    const frames = Math.max(1, Math.floor(step / layout.blockAlign));
    const block = new Uint8Array(frames * layout.blockAlign);
    for (let at = 0; at < layout.dataBytes;) {
      const want = Math.min(block.length, layout.dataBytes - at);
      const { bytesRead } = await handle.read(block, 0, want, layout.dataOffset + at);
      if (bytesRead < want) throw new AudioError(file, 'truncated', `the file ended while reading its samples (at byte ${layout.dataOffset + at + bytesRead})`);
      const piece = { ...layout, dataOffset: 0, dataBytes: want };
      for (const samples of wavChunks(block, piece, file, frames)) {
        yield { samples, sampleRate: layout.sampleRate, channels: layout.channels, format: 'wav', bytesRead: layout.dataOffset + at + want };
      }
      at += want;
    }
  } finally {
    await handle.close();
  }
}
