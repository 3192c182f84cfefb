/**
 * Image dimensions read from the header alone (PNG IHDR, JPEG SOFn), so that a file that
 * claims more pixels than allowed is refused before the decoder allocates or inflates
 * anything: a 67-byte PNG may claim 1e9 x 1e9 pixels.
 */

/** Width and height as the header states them. */
export interface ImageDimensions {
  width: number;
  height: number;
}

const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/**
 * The largest dimensions any IHDR chunk of a PNG states (a decoder may honour a later one),
 * or an error message when the chunk list is malformed before the image data.
 */
export function pngDimensions(bytes: Uint8Array): ImageDimensions | string {
  let pos = 8;
  let found: ImageDimensions | undefined;
  while (pos + 8 <= bytes.length) {
    const length = u32(bytes, pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (pos === 8 && type !== 'IHDR') return `the first chunk is ${JSON.stringify(type)}, not IHDR`;
    if (type === 'IHDR') {
      if (length !== 13 || pos + 8 + 13 > bytes.length) return 'truncated or malformed IHDR chunk';
      const d = { width: u32(bytes, pos + 8), height: u32(bytes, pos + 12) };
      if (!found || d.width * d.height > found.width * found.height) found = d;
    }
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  return found ?? 'no IHDR chunk';
}

/** The dimensions of a JPEG's first frame header (SOF0-SOF15 but DHT, JPG, DAC), or an error message. */
export function jpegDimensions(bytes: Uint8Array): ImageDimensions | string {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return `no marker at byte ${pos}`;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) { pos++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) return 'no frame header before the scan';
    const length = u16(bytes, pos + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > bytes.length) return 'truncated frame header';
      return { height: u16(bytes, pos + 5), width: u16(bytes, pos + 7) };
    }
    if (length < 2) return `marker segment of length ${length}`;
    pos += 2 + length;
  }
  return 'no frame header';
}
