/**
 * Inflating a gzip-compressed ARPA file under the ARPA limits: the text is bounded by
 * `maxArpaBytes` and each line by `maxArpaLineBytes`, and a hostile file (a gzip bomb, one
 * 300 MB word) costs what it took to find out, not its whole expansion.
 */
import { gunzipSync } from 'node:zlib';
import { Gunzip } from 'fflate';
import { LimitError, limits } from '../../util/limits.js';

const LF = 10;

/**
 * Native zlib inflates in one call a file whose gzip trailer says it expands to at most
 * this many bytes: no more than the piecewise path may overshoot by (one 64 KiB piece of
 * input), so a hostile file costs no more memory than before. Larger files, and any file
 * the one call does not inflate to exactly the size it claims with every line within the
 * limit, go the piecewise way, which gives the precise error.
 */
const ONE_CALL_MAX_BYTES = 64 << 20;

/** The ARPA text of gzip-compressed bytes; errors begin with `source` (a file name). */
export function gunzipArpa(input: Uint8Array, source: string): Buffer {
  const { maxArpaBytes, maxArpaLineBytes } = limits();
  const claimed = input.length >= 18 ? new DataView(input.buffer, input.byteOffset + input.length - 4, 4).getUint32(0, true) : -1;
  if (claimed >= 0 && claimed <= Math.min(ONE_CALL_MAX_BYTES, maxArpaBytes)) {
    const out = inflateNative(input, claimed);
    if (out && linesWithin(out, maxArpaLineBytes)) return out;
  }
  return gunzipPiecewise(input, source);
}

/**
 * `input` inflated by node:zlib, stopping past `size` bytes; undefined where that fails or
 * the text is not `size` bytes long (a lying trailer, several gzip members), or where
 * node:zlib cannot run (a browser's stand-in throws).
 */
function inflateNative(input: Uint8Array, size: number): Buffer | undefined {
  try {
    // One output buffer of the claimed size (plus the byte that shows a lie): no concatenation.
    const out = gunzipSync(input, { maxOutputLength: Math.max(1, size), chunkSize: Math.max(64, size + 1) });
    return out.length === size ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Whether every line of `b` (line feed excluded) is at most `max` bytes: one backward search per `max` bytes. */
export function linesWithin(b: Buffer, max: number): boolean {
  let start = 0; // where the current line starts
  while (b.length - start > max) {
    const lf = b.lastIndexOf(LF, start + max);
    if (lf < start) return false;
    start = lf + 1;
  }
  return true;
}

/**
 * Gzip-compressed bytes inflated a piece at a time, each piece checked as it comes: the
 * inflating stops at the first line longer than maxArpaLineBytes or once the text passes
 * maxArpaBytes, so a hostile file (one 300 MB word, a gzip bomb) costs what it took to
 * find out, not its whole expansion.
 */
function gunzipPiecewise(input: Uint8Array, source: string): Buffer {
  const { maxArpaBytes, maxArpaLineBytes } = limits();
  const pieces: Buffer[] = [];
  let total = 0;
  let run = 0; // bytes since the last line feed
  let line = 1;
  const inflate = new Gunzip((data) => {
    total += data.length;
    if (total > maxArpaBytes) throw new LimitError(source, 'maxArpaBytes', `gzip-compressed ARPA expands past ${maxArpaBytes} bytes`);
    const piece = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let p = 0; ;) {
      const e = piece.indexOf(LF, p);
      run += (e < 0 ? piece.length : e) - p;
      if (run > maxArpaLineBytes) throw new LimitError(`${source}: ARPA line ${line}`, 'maxArpaLineBytes', `a line longer than the ${maxArpaLineBytes} bytes allowed (refused while inflating)`);
      if (e < 0) break;
      run = 0;
      line++;
      p = e + 1;
    }
    pieces.push(piece);
  });
  try {
    // 64 KiB of input inflates to at most about 64 MiB (deflate's ratio is bounded near 1032:1).
    const step = 1 << 16;
    for (let i = 0; i < input.length; i += step) inflate.push(input.subarray(i, i + step), i + step >= input.length);
  } catch (err) {
    if (err instanceof LimitError) throw err;
    throw new Error(`${source}: cannot decompress the gzip ARPA file (${err instanceof Error ? err.message : String(err)})`);
  }
  return Buffer.concat(pieces, total);
}
