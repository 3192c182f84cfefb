/** Resampling of greyscale images: area averaging when shrinking, bilinear when enlarging. */
import type { GreyImage } from './decode-image.js';

/**
 * The filter taking `n` samples along one axis to `m`: per output sample, its first source
 * sample and the weights of it and those following (both axes share this).
 */
function axisWeights(n: number, m: number): { first: Int32Array; weights: Float32Array[] } {
  const first = new Int32Array(m);
  const weights: Float32Array[] = [];
  const scale = n / m;
  for (let j = 0; j < m; j++) {
    if (scale >= 1) {
      // Shrinking: each output covers [j*scale, (j+1)*scale) of the input; average it (area).
      const a = j * scale, b = (j + 1) * scale;
      const i0 = Math.floor(a), i1 = Math.min(n, Math.ceil(b));
      const w = new Float32Array(i1 - i0);
      for (let i = i0; i < i1; i++) w[i - i0] = (Math.min(b, i + 1) - Math.max(a, i)) / scale;
      first[j] = i0;
      weights.push(w);
    } else {
      // Enlarging: bilinear between the two nearest input centres (edges clamped).
      const x = Math.min(n - 1, Math.max(0, (j + 0.5) * scale - 0.5));
      const i0 = Math.min(n - 2, Math.floor(x));
      if (n === 1) {
        first[j] = 0;
        weights.push(Float32Array.of(1));
        continue;
      }
      const t = x - i0;
      first[j] = i0;
      weights.push(Float32Array.of(1 - t, t));
    }
  }
  return { first, weights };
}

/** Resizes `img` to width x height (area average down, bilinear up, each axis on its own). */
export function resize(img: GreyImage, width: number, height: number): GreyImage {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new Error(`resize: target size must be positive integers, got ${width}x${height}`);
  }
  const { width: W, height: H, data } = img;
  // Rows first: [H, W] -> [H, width].
  const cx = axisWeights(W, width);
  const tmp = new Float32Array(H * width);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let j = 0; j < width; j++) {
      const w = cx.weights[j]!, i0 = cx.first[j]!;
      let s = 0;
      for (let k = 0; k < w.length; k++) s += w[k]! * data[row + i0 + k]!;
      tmp[y * width + j] = s;
    }
  }
  // Then columns: [H, width] -> [height, width].
  const cy = axisWeights(H, height);
  const out = new Float32Array(height * width);
  for (let j = 0; j < height; j++) {
    const w = cy.weights[j]!, i0 = cy.first[j]!;
    const o = j * width;
    for (let k = 0; k < w.length; k++) {
      const wk = w[k]!, src = (i0 + k) * width;
      for (let x = 0; x < width; x++) out[o + x]! += wk * tmp[src + x]!;
    }
  }
  return { width, height, data: out };
}

/** The width of `img` scaled to `height` rows keeping the aspect ratio (rounded, at least 1). */
export function scaledWidth(img: { width: number; height: number }, height: number): number {
  return Math.max(1, Math.round((img.width * height) / img.height));
}

/** Scales to `height` rows keeping the aspect ratio (width rounded, at least 1). */
export function scaleToHeight(img: GreyImage, height: number): GreyImage {
  return resize(img, scaledWidth(img, height), height);
}
