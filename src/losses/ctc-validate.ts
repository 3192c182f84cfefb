/** Checks ctcLoss's arguments and packs targets and lengths into int32 arrays. */

export interface ValidCtcInputs {
  targets: Int32Array;
  targetStarts: Int32Array;
  inputLengths: Int32Array;
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** Throws an Error naming the argument (and the sequence) at fault. */
export function validateCtcInputs(
  logits: Float32Array, shape: readonly number[], targets: readonly ArrayLike<number>[],
  inputLengths: ArrayLike<number>, blank: number, reduction: string,
): ValidCtcInputs {
  if (!(logits instanceof Float32Array)) throw new Error('ctcLoss: logits must be a Float32Array');
  if (shape.length !== 3 || !shape.every(isCount)) {
    throw new Error(`ctcLoss: shape must be [T, B, C] of non-negative integers, got [${shape.join(', ')}]`);
  }
  const [T, B, C] = shape as [number, number, number];
  if (C < 1) throw new Error('ctcLoss: C (classes) must be at least 1');
  if (logits.length !== T * B * C) {
    throw new Error(`ctcLoss: logits has ${logits.length} values, shape [${T}, ${B}, ${C}] needs ${T * B * C}`);
  }
  if (!Number.isInteger(blank) || blank < 0 || blank >= C) throw new Error(`ctcLoss: blank ${blank} is not a class in [0, ${C})`);
  if (reduction !== 'none' && reduction !== 'sum' && reduction !== 'mean') {
    throw new Error(`ctcLoss: reduction must be 'none', 'sum' or 'mean', got '${reduction}'`);
  }
  if (targets.length !== B) throw new Error(`ctcLoss: ${targets.length} targets for a batch of ${B}`);
  if (inputLengths.length !== B) throw new Error(`ctcLoss: ${inputLengths.length} input lengths for a batch of ${B}`);
  const lengths = new Int32Array(B);
  const starts = new Int32Array(B + 1);
  for (let b = 0; b < B; b++) {
    const n = inputLengths[b]!;
    if (!Number.isInteger(n)) throw new Error(`ctcLoss: sequence ${b}: input length ${n} is not an integer`);
    if (n < 0) throw new Error(`ctcLoss: sequence ${b}: input length ${n} is negative`);
    if (n > T) throw new Error(`ctcLoss: sequence ${b}: input length ${n} is beyond T = ${T}`);
    lengths[b] = n;
    starts[b + 1] = starts[b]! + targets[b]!.length;
  }
  const flat = new Int32Array(starts[B]!);
  for (let b = 0; b < B; b++) {
    const tb = targets[b]!;
    for (let i = 0; i < tb.length; i++) {
      const c = tb[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= C) {
        throw new Error(`ctcLoss: sequence ${b}: label ${c} at position ${i} is out of range [0, ${C})`);
      }
      if (c === blank) throw new Error(`ctcLoss: sequence ${b}: label at position ${i} is the blank (${blank})`);
      flat[starts[b]! + i] = c;
    }
  }
  return { targets: flat, targetStarts: starts, inputLengths: lengths };
}
