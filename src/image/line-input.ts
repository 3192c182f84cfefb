/**
 * A text-line image as the CRNN reads it, in training and in recognition alike: ink
 * normalised (either polarity), cropped to the ink with a margin in proportion to its
 * height, scaled to the model's height, as column frames. One function for both, so that a
 * model trained by `sayre train` sees at inference exactly what it saw in training.
 */
import type { Features } from '../util/features.js';
import type { GreyImage } from './decode-image.js';
import { checkLineColumns, imageToColumns, scaleLineToHeight } from './line-image.js';
import { cropToInk, inkBox, textLines } from './line-layout.js';
import { inkLevels, MIN_INK_CONTRAST, normaliseInk } from './normalise.js';

/** Thrown for an image that holds more than one line of text. */
export class NotOneLineError extends Error {}

/** A line image's features and where their columns lie in it: pixel x = left + column * scale. */
export interface LineInput {
  features: Features;
  left: number;
  scale: number;
}

/**
 * The model input of `img` at `height` rows; undefined for a blank image. `source` names
 * the image in errors.
 * @throws NotOneLineError for an image of several lines of text.
 */
export function lineInput(img: GreyImage, height: number, source = 'image'): LineInput | undefined {
  // The whole image's scaled width is bounded before its pixels are scanned (a 100000 x 1 image).
  checkLineColumns(img, height, source);
  const levels = inkLevels(img);
  if (levels.contrast < MIN_INK_CONTRAST) return undefined;
  const ink = normaliseInk(img, levels);
  const box = inkBox(ink);
  if (!box) return undefined;
  const lines = textLines(ink);
  if (lines.length > 1) {
    throw new NotOneLineError(`${source}: expected one line of text, found ${lines.length} (rows ${lines.slice(0, 4).map((l) => `${l.top}-${l.bottom}`).join(', ')}${lines.length > 4 ? ', ...' : ''} of ${img.height}); crop the image to a single line`);
  }
  const crop = cropToInk(ink, box);
  const f = imageToColumns(scaleLineToHeight(crop, height, source));
  const margin = (crop.width - (box.right - box.left + 1)) / 2;
  return { features: { data: f.frames, frames: f.width, dim: f.height }, left: box.left - margin, scale: crop.width / Math.max(1, f.width) };
}
