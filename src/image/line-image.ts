/**
 * Text-line images as sequences of columns: the CRNN's input. A line image scaled to
 * `height` rows becomes `width` frames of `height` values each, so that images travel
 * through the same padded [T, B, F] batches, manifests and trainers as audio features
 * (T = columns, F = rows, top row first).
 */
import type { Features } from '../util/features.js';
import { type GreyImage, readImage } from './decode-image.js';
import { normaliseInk } from './normalise.js';
import { scaleToHeight } from './resize.js';

/** Column frames of a line image: frames [width, height]. */
export interface LineFrames {
  frames: Float32Array;
  /** Columns (time steps). */
  width: number;
  /** Values per column. */
  height: number;
}

/** An image [h, w] row-major -> frames [w, h] (column t is frame t). */
export function imageToColumns(img: GreyImage): LineFrames {
  const { width, height, data } = img;
  const frames = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) frames[x * height + y] = data[y * width + x]!;
  }
  return { frames, width, height };
}

/**
 * Greyscale image -> scaled to `height`, ink-normalised (either polarity), as column frames:
 * the training front end (corpus images are already trimmed to their ink with a margin).
 * The recogniser crops real inputs to their ink first (LineRecognizer.features).
 */
export function lineFrames(img: GreyImage, height: number): LineFrames {
  return imageToColumns(normaliseInk(scaleToHeight(img, height)));
}

/** Reads a PNG/JPEG text-line image as column frames of `height` values (errors name the file). */
export function readLineFrames(path: string, height: number): LineFrames {
  return lineFrames(readImage(path), height);
}

/**
 * A line image as a feature matrix (frames = columns, dim = height), the form the speech
 * pipeline's batching, padding and feature caches take.
 */
export function readLineFeatures(path: string, height: number): Features {
  const f = readLineFrames(path, height);
  return { data: f.frames, frames: f.width, dim: f.height };
}
