/**
 * Text-line images as sequences of columns: the CRNN's input. A line image scaled to
 * `height` rows becomes `width` frames of `height` values each, so that images travel
 * through the same padded [T, B, F] batches, manifests and trainers as audio features
 * (T = columns, F = rows, top row first).
 */
import type { Features } from '../util/features.js';
import { type GreyImage, readImage } from './decode-image.js';
import { normaliseInk } from './normalise.js';
import { scaledWidth, scaleToHeight } from './resize.js';
import { checkLimit } from '../util/limits.js';

/** Column frames of a line image: frames [width, height]. */
export interface LineFrames {
  frames: Float32Array;
  /** Columns (time steps). */
  width: number;
  /** Values per column. */
  height: number;
}

/** `data` [rows, cols] row-major -> [cols, rows]. */
function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  }
  return out;
}

/** An image [h, w] row-major -> frames [w, h] (column t is frame t). */
export function imageToColumns(img: GreyImage): LineFrames {
  return { frames: transposed(img.data, img.height, img.width), width: img.width, height: img.height };
}

/** Frames [w, h] -> the image [h, w] row-major they were made from (the inverse of {@link imageToColumns}). */
export function columnsToImage(f: LineFrames): GreyImage {
  return { width: f.width, height: f.height, data: transposed(f.frames, f.width, f.height) };
}

/**
 * Greyscale image -> scaled to `height`, ink-normalised (either polarity), as column frames,
 * margins kept. Models read the crop of `lineInput` (line-input.ts) instead, in training
 * and recognition alike; this is the plain transform beneath it. `source` names the image in errors.
 */
export function lineFrames(img: GreyImage, height: number, source = 'image'): LineFrames {
  return imageToColumns(normaliseInk(scaleLineToHeight(img, height, source)));
}

/**
 * `img` scaled to `height` rows, its width after scaling checked against the
 * `maxLineColumns` limit first (a 100000 x 1 image would become 3.2 million columns at
 * height 32); `source` names the image in that error.
 */
export function scaleLineToHeight(img: GreyImage, height: number, source = 'image'): GreyImage {
  checkLineColumns(img, height, source);
  return scaleToHeight(img, height);
}

/** Refuses a line image whose width scaled to `height` rows passes the `maxLineColumns` limit (checked before any work on its pixels). */
export function checkLineColumns(img: { width: number; height: number }, height: number, source = 'image'): void {
  checkLimit(source, 'maxLineColumns', scaledWidth(img, height), `a ${img.width}x${img.height} line image scaled to ${height} rows, columns`);
}

/** Reads a text-line image file (readImage: PNG, JPEG, others through ffmpeg) as column frames of `height` values (errors name the file). */
export function readLineFrames(path: string, height: number): LineFrames {
  return lineFrames(readImage(path), height, path);
}

/**
 * A line image as a feature matrix (frames = columns, dim = height), margins kept, in the
 * form batching and padding take; a model's own input comes from `lineInput` (line-input.ts).
 */
export function readLineFeatures(path: string, height: number): Features {
  const f = readLineFrames(path, height);
  return { data: f.frames, frames: f.width, dim: f.height };
}
