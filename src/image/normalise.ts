/** Ink-positive normalisation of greyscale text-line images. */
import type { GreyImage } from './decode-image.js';

function quantile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Inverts (ink high, paper 0) and stretches the contrast: the median level (the paper of a
 * text line, which is mostly paper) maps to 0 and the 99th percentile (solid ink) to 1,
 * clamped to [0, 1]. Makes grey, low-contrast, dark-background and light scans look alike.
 * Returns a new image.
 */
export function normaliseInk(img: GreyImage): GreyImage {
  const inv = new Float32Array(img.data.length);
  for (let i = 0; i < inv.length; i++) inv[i] = 1 - img.data[i]!;
  const sorted = inv.slice().sort();
  const paper = quantile(sorted, 0.5), ink = quantile(sorted, 0.99);
  const range = Math.max(ink - paper, 0.05); // a blank image stays near 0, not amplified noise
  for (let i = 0; i < inv.length; i++) inv[i] = Math.min(1, Math.max(0, (inv[i]! - paper) / range));
  return { width: img.width, height: img.height, data: inv };
}
