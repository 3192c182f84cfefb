/** PNG and JPEG files decoded to greyscale (pure JavaScript: pngjs, jpeg-js). */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { checkLimit, limits } from '../util/limits.js';
import { readFileBounded } from '../util/read-bounded.js';
import { jpegDimensions, pngDimensions } from './image-header.js';

/** A greyscale image, row-major: data[y * width + x], 0 = black, 1 = white. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image format that `bytes` start with, or undefined. */
export function sniffImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
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
 * @throws Error naming the source for an unknown format, a truncated or corrupt file, an
 * empty image, or one with more pixels than allowed (LimitError).
 */
export function decodeImage(bytes: Uint8Array, source = 'image'): GreyImage {
  const format = sniffImageFormat(bytes);
  if (!format) throw new Error(`${source}: not a PNG or JPEG file (unrecognised header, ${bytes.length} bytes)`);
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

/** Reads a PNG or JPEG file to greyscale; errors name the file. */
export function readImage(path: string): GreyImage {
  return decodeImage(readFileBounded(path, 'image'), path);
}
