import type { CrnnModelConfig } from '../../src/model/crnn-config.js';
import { rng } from './compare.js';

/** A CRNN small enough for finite differences and SwiftShader: two conv blocks (2x2 and 2x1 pools), a 5-unit BiLSTM. */
export const TINY_CRNN_CONFIG: CrnnModelConfig = {
  type: 'crnn', height: 8, blocks: [{ channels: 3, pool: [2, 2] }, { channels: 4, kernel: 3, pool: [2, 1] }],
  hiddenSize: 5, numLayers: 1, numClasses: 4,
};

/** A padded column-frame batch [W, B, H] of random images with the given widths (zero past each). */
export function randomLineBatch(widths: number[], H: number, seed: number): { x: Float32Array; shape: [number, number, number] } {
  const r = rng(seed), W = Math.max(...widths), B = widths.length;
  const x = new Float32Array(W * B * H);
  for (let w = 0; w < W; w++) for (let b = 0; b < B; b++) {
    if (w < widths[b]!) for (let h = 0; h < H; h++) x[(w * B + b) * H + h] = r();
  }
  return { x, shape: [W, B, H] };
}
