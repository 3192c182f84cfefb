import type { LossFunction } from '../../src/model/trainable.js';
import type { Batch } from '../../src/train/trainer.js';
import { randomArray, rng } from '../helpers/compare.js';

/**
 * A smooth stand-in loss for trainer tests that do not need CTC: 0.5 * sum over real
 * frames of (logits - 0.1 * (class index))^2, with its gradient (zero at padded frames).
 */
export const squaredLoss: LossFunction = (logits, shape, _targets, lengths) => {
  const [T, B, C] = shape;
  const grad = new Float32Array(logits.length);
  let loss = 0;
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
    if (t >= lengths[b]!) continue;
    for (let c = 0; c < C; c++) {
      const i = (t * B + b) * C + c;
      const d = logits[i]! - 0.1 * c;
      loss += 0.5 * d * d;
      grad[i] = d;
    }
  }
  return { loss, grad };
};

/** A few small random batches (fixed seed). */
export function randomBatches(count: number, F: number, seed = 1): Batch[] {
  const next = rng(seed);
  const out: Batch[] = [];
  for (let i = 0; i < count; i++) {
    const T = 6, B = 3;
    const lengths = [6, 3 + (i % 3), 2];
    out.push({ x: randomArray(T * B * F, next), shape: [T, B, F], lengths, targets: [[1], [2], [1]] });
  }
  return out;
}
