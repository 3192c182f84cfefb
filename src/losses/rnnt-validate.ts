/** Input checks of rnntLoss: every error names the sequence and the problem. */

/** The validated shape and options of one rnntLoss call. */
export interface RnntProblem {
  B: number; T: number; U1: number; V: number;
  blank: number;
  /** Per-sequence valid frames, as integers. */
  frames: Int32Array;
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}

/**
 * Checks shapes, lengths, labels and blank against each other (the logits' values are
 * checked by the kernel, which reads each valid row anyway). Throws an Error saying
 * what is wrong and in which sequence.
 */
export function validateRnntInput(
  logits: ArrayLike<number>, shape: readonly number[], targets: ArrayLike<ArrayLike<number>>,
  logitLengths: ArrayLike<number>, blank: number,
): RnntProblem {
  if (shape.length !== 4 || !shape.every(isCount)) {
    throw new Error(`rnntLoss: shape must be [B, T, U1, V] of positive integers, got [${shape.join(', ')}]`);
  }
  const [B, T, U1, V] = shape as [number, number, number, number];
  if (logits.length !== B * T * U1 * V) {
    throw new Error(`rnntLoss: logits hold ${logits.length} values but shape [${B}, ${T}, ${U1}, ${V}] needs ${B * T * U1 * V}`);
  }
  if (!Number.isInteger(blank) || blank < 0 || blank >= V) {
    throw new Error(`rnntLoss: blank ${blank} is not a label index in [0, ${V})`);
  }
  if (targets.length !== B) throw new Error(`rnntLoss: ${targets.length} targets for a batch of ${B}`);
  if (logitLengths.length !== B) throw new Error(`rnntLoss: ${logitLengths.length} logit lengths for a batch of ${B}`);
  const frames = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const len = logitLengths[b]!;
    if (!Number.isInteger(len) || len < 1 || len > T) {
      throw new Error(`rnntLoss: sequence ${b}: logit length ${len} is not an integer in [1, ${T}]`);
    }
    frames[b] = len;
    const y = targets[b]!;
    if (y.length > U1 - 1) {
      throw new Error(`rnntLoss: sequence ${b}: target length ${y.length} exceeds U1 - 1 = ${U1 - 1}`);
    }
    for (let i = 0; i < y.length; i++) {
      const k = y[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= V) {
        throw new Error(`rnntLoss: sequence ${b}: label ${k} at position ${i} is outside [0, ${V})`);
      }
      if (k === blank) throw new Error(`rnntLoss: sequence ${b}: label at position ${i} is the blank (${blank})`);
    }
  }
  return { B, T, U1, V, blank, frames };
}

/** The targets concatenated, and where each sequence's start (B + 1 entries). */
export function flattenTargets(targets: ArrayLike<ArrayLike<number>>): { targets: Int32Array; targetStarts: Int32Array } {
  const B = targets.length;
  const targetStarts = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) targetStarts[b + 1] = targetStarts[b]! + targets[b]!.length;
  const flat = new Int32Array(targetStarts[B]!);
  for (let b = 0; b < B; b++) flat.set(targets[b]!, targetStarts[b]!);
  return { targets: flat, targetStarts };
}
