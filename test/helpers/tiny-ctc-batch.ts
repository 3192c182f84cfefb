import { randomArray, rng } from './compare.js';

/** A 2-layer BiLSTM CTC model small enough for SwiftShader. */
export const TINY_CTC_CONFIG = { inputDim: 6, hiddenSize: 8, numLayers: 2, numClasses: 5, frameStack: 2, frameStride: 2 };

/** An unsorted batch with padding for {@link TINY_CTC_CONFIG}: T = 11, lengths 7, 11, 4. */
export function tinyCtcBatch(seed: number): { x: Float32Array; shape: [number, number, number]; lengths: number[]; targets: number[][] } {
  const next = rng(seed);
  return { x: randomArray(11 * 3 * 6, next), shape: [11, 3, 6], lengths: [7, 11, 4], targets: [[1, 2], [3, 3, 1], [4]] };
}
