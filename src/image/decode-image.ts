/** PNG and JPEG files decoded to greyscale (pure JavaScript: pngjs, jpeg-js); other formats read through ffmpeg. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { checkLimit, limits } from '../util/limits.js';
import { readFileBounded } from '../util/read-bounded.js';
import { jpegDimensions, pngDimensions } from './image-header.js';
import { ffmpegImageToPng } from './ffmpeg-image.js';
import { asciiAt } from '../util/ascii-at.js';

/** A greyscale image, row-major: data[y * width + x], 0 = black, 1 = white. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Image formats told by their first bytes: sayre decodes PNG and JPEG itself, the others through ffmpeg ({@link readImage}). */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'tiff';

const IMAGE_FORMAT_NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', bmp: 'BMP', tiff: 'TIFF' };

/** The image format that `bytes` start with, or undefined. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  // RIFF is WAV's container too: WebP is the RIFF whose form type is WEBP
  if (asciiAt(bytes, 0, 4) === 'RIFF' && asciiAt(bytes, 8, 4) === 'WEBP') return 'webp';
  if (asciiAt(bytes, 0, 6) === 'GIF87a' || asciiAt(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (bytes.length >= 14 && asciiAt(bytes, 0, 2) === 'BM') return 'bmp';
  if (asciiAt(bytes, 0, 4) === 'II*\0' || asciiAt(bytes, 0, 4) === 'MM\0*') return 'tiff';
  return undefined;
}

/** "a WebP image", or "not PNG or JPEG" for bytes of no format sniffImageFormat knows: what a file is, for errors. */
function describeFormat(format: ImageFormat | undefined, bytes: number): string {
  return format ? `a ${IMAGE_FORMAT_NAMES[format]} image` : `not PNG or JPEG (unrecognised header, ${bytes} bytes)`;
}

/**
 * RGBA bytes [h, w, 4] to luminance in [0, 1] (ITU-R BT.601 weights), composited over white
 * so that transparent backgrounds (common in rendered text) read as paper.
 */
export function rgbaToGrey(rgba: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const r = rgba[4 * i]!, g = rgba[4 * i + 1]!, b = rgba[4 * i + 2]!, a = rgba[4 * i + 3]! / 255;
    const lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    out[i] = a * lum + (1 - a);
  }
  return out;
}

/**
 * Decodes PNG or JPEG bytes to greyscale. `source` (a file name) goes into errors. The
 * header's dimensions are checked against the `maxImagePixels` limit before decoding.
 * @throws Error naming the source for another format (readImage reads those through
 * ffmpeg), a truncated or corrupt file, an empty image, or one with more pixels than
 * allowed (LimitError).
 */
export function decodeImage(bytes: Uint8Array, source = 'image'): GreyImage {
  const format = sniffImageFormat(bytes);
  if (format !== 'png' && format !== 'jpeg') throw new Error(`${source}: ${describeFormat(format, bytes.length)}; decodeImage reads PNG and JPEG (readImage reads other formats through ffmpeg)`);
  const dims = format === 'png' ? pngDimensions(bytes) : jpegDimensions(bytes);
  if (typeof dims === 'string') throw new Error(`${source}: cannot decode ${format.toUpperCase()} (${dims}); the file may be truncated or corrupt`);
  if (!(dims.width > 0 && dims.height > 0)) throw new Error(`${source}: ${format.toUpperCase()} has no pixels (${dims.width}x${dims.height})`);
  checkLimit(source, 'maxImagePixels', dims.width * dims.height, `${format.toUpperCase()} of ${dims.width}x${dims.height}, pixels`);
  let width: number, height: number, rgba: Uint8Array;
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const maxPixels = limits().maxImagePixels;
      const img = jpeg.decode(bytes, {
        useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 12) / 2 ** 20)),
      });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (err) {
    throw new Error(`${source}: cannot decode ${format.toUpperCase()} (${(err as Error).message}); the file may be truncated or corrupt`);
  }
  if (!(width > 0 && height > 0) || width * height > dims.width * dims.height || rgba.length < width * height * 4) {
    throw new Error(`${source}: ${format.toUpperCase()} has no pixels (${width}x${height})`);
  }
  return { width, height, data: rgbaToGrey(rgba, width, height) };
}

/**
 * Reads an image file to greyscale: PNG and JPEG in JavaScript, any other format (WebP,
 * GIF, BMP, TIFF, ...; the first frame) through ffmpeg when it is on PATH. Errors name the file.
 */
export function readImage(path: string): GreyImage {
  return readImageBytes(readFileBounded(path, 'image'), path, path);
}

/**
 * An image file's bytes (read from a pipe, say) to greyscale as {@link readImage} reads a
 * file: ffmpeg reads other formats from `path` when it is a regular file, else from a
 * temporary copy. `source` names the image in errors.
 */
export function readImageBytes(bytes: Uint8Array, source: string, path?: string): GreyImage {
  if (bytes.length === 0) throw new Error(`${source}: empty file, not an image`);
  const format = sniffImageFormat(bytes);
  if (format === 'png' || format === 'jpeg') return decodeImage(bytes, source);
  return decodeImage(ffmpegImageToPng(bytes, source, describeFormat(format, bytes.length), path), `${source} (through ffmpeg)`);
}
