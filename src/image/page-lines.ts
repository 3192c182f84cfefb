/**
 * A block of text (a paragraph, a screenshot, a page) cut into its lines, so that the
 * line model can read each: the rows of every line of text (textLines on the ink-normalised
 * image), each widened to the middle of the gaps around it so that ascenders and
 * descenders too faint for the row count stay with their line.
 */
import type { GreyImage } from './decode-image.js';
import { textLines } from './line-layout.js';
import { inkLevels, MIN_INK_CONTRAST, normaliseInk } from './normalise.js';

/** One line of a block: its rows in the block (inclusive) and the block's pixels of those rows. */
export interface PageLine {
  top: number;
  bottom: number;
  image: GreyImage;
}

/** The lines of text in `img`, top to bottom; none for a blank image, one for an image of one line (the whole image). */
export function pageLines(img: GreyImage): PageLine[] {
  const levels = inkLevels(img);
  if (levels.contrast < MIN_INK_CONTRAST) return [];
  const bands = textLines(normaliseInk(img, levels));
  return bands.map((b, i) => {
    const top = i === 0 ? 0 : Math.floor((bands[i - 1]!.bottom + b.top) / 2) + 1;
    const bottom = i === bands.length - 1 ? img.height - 1 : Math.floor((b.bottom + bands[i + 1]!.top) / 2);
    return { top, bottom, image: { width: img.width, height: bottom - top + 1, data: img.data.slice(top * img.width, (bottom + 1) * img.width) } };
  });
}
