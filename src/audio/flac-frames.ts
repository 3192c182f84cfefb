/**
 * FLAC frames for the libFLAC decoder. codec-parser (which @wasm-audio-decoders/flac uses
 * to split a file into frames) leaves a short final frame glued to the frame before it,
 * and libFLAC decodes one frame per buffer, so the file's last samples (up to a block)
 * would be lost. The frame sequence is passed through here, and the final piece split at
 * the last frame header whose CRC-8 checks.
 */

/** CRC-8 (polynomial 0x07) of `b`, as FLAC frame headers carry it. */
function crc8(b: Uint8Array): number {
  let crc = 0;
  for (const x of b) {
    crc ^= x;
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** True when a whole FLAC frame header with a matching CRC-8 starts at `at`. */
export function isFlacFrameHeader(b: Uint8Array, at: number): boolean {
  if (at + 6 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xfe) !== 0xf8) return false;
  const sizeCode = b[at + 2]! >> 4;
  const rateCode = b[at + 2]! & 0x0f;
  if (sizeCode === 0 || rateCode === 15) return false;
  // The frame or sample number, UTF-8 style: leading ones give its length.
  const lead = Math.clz32(~(b[at + 4]! << 24));
  let end = at + 4 + (lead === 0 ? 1 : lead);
  if (lead === 1 || lead > 7) return false;
  end += sizeCode === 6 ? 1 : sizeCode === 7 ? 2 : 0;
  end += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  return end < b.length && crc8(b.subarray(at, end)) === b[end];
}

/** `frame` split at the last later FLAC frame header it holds (one piece when it holds none). */
export function splitTrailingFrame(frame: Uint8Array): Uint8Array[] {
  for (let at = frame.length - 6; at > 0; at--) {
    if (isFlacFrameHeader(frame, at)) return [...splitTrailingFrame(frame.subarray(0, at)), frame.subarray(at)];
  }
  return [frame];
}
