/** Placing a greyscale image on a blank canvas: crops, margins and shifts in one clipped copy. */
import type { GreyImage } from './decode-image.js';

/**
 * A `width` x `height` canvas of `paper` with `img`'s top-left pixel at (x, y); whatever
 * falls outside the canvas is cut off. A negative x or y crops (`placeImage(img, w, h,
 * -left, -top)` is the w x h region at (left, top)); a canvas larger than the image adds
 * margins.
 */
export function placeImage(img: GreyImage, width: number, height: number, x: number, y: number, paper = 0): GreyImage {
  const data = new Float32Array(width * height);
  if (paper !== 0) data.fill(paper);
  const x0 = Math.max(0, x), x1 = Math.min(width, x + img.width);
  for (let row = Math.max(0, y); row < Math.min(height, y + img.height) && x0 < x1; row++) {
    const src = (row - y) * img.width - x;
    data.set(img.data.subarray(src + x0, src + x1), row * width + x0);
  }
  return { width, height, data };
}
