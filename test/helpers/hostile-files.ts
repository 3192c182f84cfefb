/** Hostile inputs for the hardening tests, made by the tests themselves (no committed blobs). */
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from '../../src/util/crc32.js';
import { createGzip, deflateSync } from 'node:zlib';

/** A fresh temporary folder. */
export function tempDir(prefix = 'sayre-hostile-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const PNG_MAGIC = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** An 8-bit greyscale PNG whose IHDR claims width x height, with `idat` as its (compressed) data: a few bytes for any claim. */
export function pngClaiming(width: number, height: number, idat = deflateSync(new Uint8Array(16)), bitDepth = 8): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = bitDepth; // bit depth
  ihdr[9] = 0; // greyscale
  return concat([PNG_MAGIC, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** A valid white 1-bit greyscale PNG of width x height (20000 x 20000 is about 60 KB), built row by row. */
export function whitePng(width: number, height: number): Uint8Array {
  const rowBytes = 1 + Math.ceil(width / 8);
  const row = new Uint8Array(rowBytes).fill(0xff);
  row[0] = 0; // filter: none
  const raw = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) raw.set(row, y * rowBytes);
  return pngClaiming(width, height, deflateSync(raw, { level: 1 }), 1);
}

/** A baseline JPEG's first bytes with an SOF0 frame header claiming width x height (no scan: never decodable). */
export function jpegClaiming(width: number, height: number): Uint8Array {
  return Uint8Array.of(
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    0xff, 0xc0, 0, 11, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0,
    0xff, 0xd9,
  );
}

/**
 * A WAV file of `frames` frames whose header says `sampleRate` (any u32, 4 GHz included),
 * 16-bit mono PCM of a quiet tone, or float64 samples given as they are.
 */
export function wavClaiming(sampleRate: number, frames = 1600, float64?: Float64Array): Uint8Array {
  const bytesPer = float64 ? 8 : 2;
  const n = float64 ? float64.length : frames;
  const out = new Uint8Array(44 + n * bytesPer);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => { for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF'); v.setUint32(4, 36 + n * bytesPer, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, float64 ? 3 : 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate >>> 0, true); v.setUint32(28, (sampleRate * bytesPer) >>> 0, true); v.setUint16(32, bytesPer, true); v.setUint16(34, bytesPer * 8, true);
  ascii(36, 'data'); v.setUint32(40, n * bytesPer, true);
  for (let i = 0; i < n; i++) {
    if (float64) v.setFloat64(44 + 8 * i, float64[i]!, true);
    else v.setInt16(44 + 2 * i, Math.round(1000 * Math.sin(i / 7)), true);
  }
  return out;
}

/** Writes a gzip file that expands to an ARPA header and then one word of `wordBytes` bytes; resolves when written. */
export async function writeGzipArpaWord(path: string, wordBytes: number): Promise<void> {
  const gz = createGzip({ level: 1 });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('finish', resolve).on('error', reject);
    gz.pipe(out);
  });
  const write = (data: string | Uint8Array): Promise<void> => new Promise((resolve) => { if (gz.write(data)) resolve(); else gz.once('drain', resolve); });
  await write('\\data\\\nngram 1=1\n\n\\1-grams:\n-1 ');
  const piece = new Uint8Array(1 << 20).fill(0x61);
  for (let left = wordBytes; left > 0; left -= piece.length) await write(piece.subarray(0, Math.min(piece.length, left)));
  await write('\n\n\\end\\\n');
  gz.end();
  await done;
}

/**
 * A safetensors file from a header object and a data section of `dataBytes` zero bytes
 * (the header may lie: that is the point).
 */
export function safetensorsWith(header: Record<string, unknown>, dataBytes: number): Uint8Array {
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  return out;
}
