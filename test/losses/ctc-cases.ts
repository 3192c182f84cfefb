/** Random CTC batches for the tests: seeded, with padding, repeats and any blank. */
import { rng } from '../helpers/compare.js';

export interface CtcCase {
  logits: Float32Array;
  shape: [number, number, number];
  targets: number[][];
  inputLengths: number[];
  blank: number;
}

/**
 * A batch of B sequences over C classes and at most T frames: each sequence's length in
 * [minLength, T] and target of up to maxLabels labels (repeats likely when C is small);
 * logits uniform in [-scale, scale).
 */
export function randomCtcCase(seed: number, T: number, B: number, C: number, maxLabels: number, opts: { blank?: number; scale?: number; minLength?: number } = {}): CtcCase {
  const next = rng(seed);
  const blank = opts.blank ?? Math.floor(next() * C);
  const scale = opts.scale ?? 2;
  const logits = new Float32Array(T * B * C);
  for (let i = 0; i < logits.length; i++) logits[i] = (next() * 2 - 1) * scale;
  const labels: number[] = [];
  for (let c = 0; c < C; c++) if (c !== blank) labels.push(c);
  const minLength = opts.minLength ?? 1;
  const inputLengths: number[] = [];
  const targets: number[][] = [];
  for (let b = 0; b < B; b++) {
    inputLengths.push(minLength + Math.floor(next() * (T - minLength + 1)));
    const L = Math.floor(next() * (maxLabels + 1));
    targets.push(Array.from({ length: L }, () => labels[Math.floor(next() * labels.length)]!));
  }
  return { logits, shape: [T, B, C], targets, inputLengths, blank };
}
