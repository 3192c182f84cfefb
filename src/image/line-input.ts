/**
 * A text-line image as the CRNN reads it, in training and in recognition alike: ink
 * normalised (either polarity), its ink box scaled to a fixed number of the model's rows
 * with a margin of paper around it, as column frames. One function for both, so that a
 * model trained by `sayre train` sees at inference exactly what it saw in training.
 */
import type { Features } from '../util/features.js';
import type { GreyImage } from './decode-image.js';
import { checkLineColumns, imageToColumns } from './line-image.js';
import { type InkBox, inkBox, textLines } from './line-layout.js';
import { placeImage } from './place-image.js';
import { resize } from './resize.js';
import { inkLevels, inkLevelsWithin, MIN_INK_CONTRAST, normaliseInk } from './normalise.js';

/**
 * Bumped whenever lineInput's output for an image changes, so that training runs do not
 * reuse features cached by the older reader (2: the ink level over the ink box).
 */
export const LINE_INPUT_VERSION = 2;

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
  const rough = inkBox(normaliseInk(img, levels));
  if (!rough) return undefined;
  // The ink level from the ink box alone, so that the margin does not change it.
  const ink = normaliseInk(img, inkLevelsWithin(img, levels, rough));
  const box = inkBox(ink);
  if (!box) return undefined;
  const lines = textLines(ink);
  if (lines.length > 1) {
    throw new NotOneLineError(`${source}: expected one line of text, found ${lines.length} (rows ${lines.slice(0, 4).map((l) => `${l.top}-${l.bottom}`).join(', ')}${lines.length > 4 ? ', ...' : ''} of ${img.height}); crop the image to a single line`);
  }
  const fit = fitInk(ink, box, height);
  const f = imageToColumns(fit.image);
  return { features: { data: f.frames, frames: f.width, dim: f.height }, left: fit.left, scale: fit.scale };
}

/** Margin around the ink, as a share of the ink's height (about what the line corpus's renderings had). */
export const INK_MARGIN = 0.12;

/**
 * The ink box of `img` scaled to exactly `round(height / (1 + 2 INK_MARGIN))` rows (26 of 32)
 * and set on paper (0) `height` rows high, with the same margin of columns left and right.
 * The box's scale depends on its height alone, not on a margin rounded to whole source
 * pixels: a line and an enlarged copy of it reach the model at the same size (a margin
 * rounded before scaling made them differ by 2%, which flipped borderline letters).
 * Returns where the columns lie in `img`: pixel x = left + column * scale.
 */
function fitInk(img: GreyImage, box: InkBox, height: number): { image: GreyImage; left: number; scale: number } {
  const h = box.bottom - box.top + 1, w = box.right - box.left + 1;
  const inner = Math.max(1, Math.round(height / (1 + 2 * INK_MARGIN)));
  const top = Math.floor((height - inner) / 2), side = Math.round(inner * INK_MARGIN);
  const scaled = resize(placeImage(img, w, h, -box.left, -box.top), Math.max(1, Math.round((w * inner) / h)), inner);
  // Source pixels per column along the line (the width was rounded to whole columns).
  const scale = w / scaled.width;
  return { image: placeImage(scaled, scaled.width + 2 * side, height, side, top), left: box.left - side * scale, scale };
}
