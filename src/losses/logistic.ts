/**
 * The logistic (binary cross-entropy) loss of one logit per row against a 0/1 target, for
 * two-class outputs such as the trained VAD's speech/non-speech: -log sigmoid(z) for a
 * target of 1, -log(1 - sigmoid(z)) for 0, written so that no large |z| overflows.
 */

/**
 * Mean loss over the first `n` logits; writes d(mean loss)/d logit into `grad` (unless null).
 * Targets may lie anywhere in [0, 1] (soft labels).
 */
export function logisticLoss(logits: Float32Array, targets: ArrayLike<number>, grad: Float32Array | null, n = logits.length): number {
  if (n > logits.length || n > targets.length || (grad && n > grad.length)) throw new Error(`logisticLoss: ${n} rows, but ${logits.length} logits and ${targets.length} targets`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i]!, t = targets[i]!;
    if (!Number.isFinite(z)) throw new Error(`logisticLoss: logit ${i} is ${z}`);
    // max(z, 0) - z t + log(1 + e^-|z|) = -t log s - (1 - t) log(1 - s), s = sigmoid(z)
    sum += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    if (grad) grad[i] = (sigmoid(z) - t) / n;
  }
  return n > 0 ? sum / n : 0;
}

/** 1 / (1 + e^-z), without overflow for either sign. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
