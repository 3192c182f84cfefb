/** Ink-positive normalisation of greyscale text-line images, whichever their polarity. */
import type { GreyImage } from './decode-image.js';
import { inkBox } from './line-layout.js';

function quantile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

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

/** Paper (the median) and ink (the extreme farther from it) of a set of pixels. */
function levelsOf(pixels: Float32Array): InkLevels {
  const sorted = pixels.slice().sort();
  const paper = quantile(sorted, 0.5), dark = quantile(sorted, 0.01), light = quantile(sorted, 0.99);
  const inverted = light - paper > paper - dark;
  const ink = inverted ? light : dark;
  return { paper, ink, inverted, contrast: Math.abs(ink - paper) };
}

/**
 * The paper and ink levels of a text line (mostly paper): paper is the median; the ink is
 * whichever extreme (the 1st or the 99th percentile) lies farther from it, so light
 * ink on dark paper (an inverted image) is found as readily as dark ink on light paper.
 * Measured in the box around the ink (a margin of a quarter of its height): with wide
 * margins under 1% of all pixels may be ink, and the 1st percentile of the whole image
 * would land on the strokes' anti-aliased edges, so the same line would normalise
 * differently with and without margins.
 */
export function inkLevels(img: GreyImage): InkLevels {
  const whole = levelsOf(img.data);
  if (whole.contrast < MIN_INK_CONTRAST) return whole;
  const box = inkBox(normaliseInk(img, whole));
  if (!box) return whole;
  const pad = Math.ceil((box.bottom - box.top + 1) / 4);
  const top = Math.max(0, box.top - pad), bottom = Math.min(img.height - 1, box.bottom + pad);
  const left = Math.max(0, box.left - pad), right = Math.min(img.width - 1, box.right + pad);
  if (top === 0 && left === 0 && bottom === img.height - 1 && right === img.width - 1) return whole;
  const w = right - left + 1;
  const pixels = new Float32Array(w * (bottom - top + 1));
  for (let y = top; y <= bottom; y++) pixels.set(img.data.subarray(y * img.width + left, y * img.width + left + w), (y - top) * w);
  const inBox = levelsOf(pixels);
  // A box of nearly all ink (a solid blot) has no paper of its own to measure.
  return inBox.contrast < MIN_INK_CONTRAST ? whole : inBox;
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
