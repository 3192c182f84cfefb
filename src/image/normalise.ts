/** Ink-positive normalisation of greyscale text-line images, whichever their polarity. */
import type { GreyImage } from './decode-image.js';
import type { InkBox } from './line-layout.js';
import { placeImage } from './place-image.js';
import { quantiles } from '../math/quantiles.js';

/** Below this distance between the paper level and the ink level an image holds no ink (a blank page). */
export const MIN_INK_CONTRAST = 0.08;

/** The paper level of a greyscale image, its ink level, and whether the ink is lighter than the paper. */
export interface InkLevels {
  paper: number;
  ink: number;
  /** Light ink on dark paper. */
  inverted: boolean;
  /** |ink - paper|: under {@link MIN_INK_CONTRAST}, no ink. */
  contrast: number;
}

/**
 * The paper and ink levels of a text line (mostly paper): paper is the median; the ink is
 * whichever extreme (the 1st or the 99th percentile) lies farther from it, so light
 * ink on dark paper (an inverted image) is found as readily as dark ink on light paper.
 */
export function inkLevels(img: GreyImage): InkLevels {
  const [paper, dark, light] = quantiles(img.data, [0.5, 0.01, 0.99]) as [number, number, number];
  const inverted = light - paper > paper - dark;
  const ink = inverted ? light : dark;
  return { paper, ink, inverted, contrast: Math.abs(ink - paper) };
}

/**
 * `levels` with the ink level taken again over the pixels of the ink box alone: over the
 * whole image the 1st (99th) percentile drifts towards the paper as margins grow (a line
 * with margins twice its height has under 1% ink), so the same line with a wide margin
 * came out fainter. The paper level stays the whole image's median.
 */
export function inkLevelsWithin(img: GreyImage, levels: InkLevels, box: InkBox): InkLevels {
  const crop = placeImage(img, box.right - box.left + 1, box.bottom - box.top + 1, -box.left, -box.top);
  const ink = quantiles(crop.data, [levels.inverted ? 0.99 : 0.01])[0]!;
  return { ...levels, ink, contrast: Math.abs(ink - levels.paper) };
}

/**
 * Ink 1, paper 0, whatever the polarity: the paper level maps to 0 and the ink level to
 * 1, clamped to [0, 1]. Makes grey, low-contrast, inverted and light scans look alike; an
 * image without ink (contrast under MIN_INK_CONTRAST) stays near 0 rather than amplified
 * noise. Returns a new image.
 */
export function normaliseInk(img: GreyImage, levels: InkLevels = inkLevels(img)): GreyImage {
  const { paper } = levels;
  const sign = levels.inverted ? 1 : -1;
  const range = Math.max(levels.contrast, MIN_INK_CONTRAST);
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, (sign * (img.data[i]! - paper)) / range));
  return { width: img.width, height: img.height, data: out };
}
