/**
 * Frame stacking with subsampling (as in Sak et al.'s low-frame-rate acoustic models):
 * output frame j of a sequence concatenates input frames j*stride .. j*stride + stack - 1
 * (zeros for frames past the sequence's end). x [T, B, F] -> y [T', B, stack*F] with
 * T' = ceil(T / stride) and length' = ceil(length / stride).
 */
export function stackedLength(length: number, stride: number): number {
  return Math.ceil(length / stride);
}

/** Forward: x [T, B, F] -> y [ceil(T/stride), B, stack*F] (y overwritten, zero at padded frames). */
export function stackFramesForward(
  x: Float32Array, T: number, B: number, F: number, lengths: ArrayLike<number>,
  stack: number, stride: number, y: Float32Array,
): void {
  const T2 = stackedLength(T, stride), F2 = stack * F;
  y.fill(0, 0, T2 * B * F2);
  for (let b = 0; b < B; b++) {
    const L = lengths[b]!, L2 = stackedLength(L, stride);
    for (let j = 0; j < L2; j++) {
      for (let i = 0; i < stack; i++) {
        const t = j * stride + i;
        if (t >= L) break;
        y.set(x.subarray((t * B + b) * F, (t * B + b + 1) * F), (j * B + b) * F2 + i * F);
      }
    }
  }
}

/** Backward: dy [T', B, stack*F] -> dx [T, B, F] (overwritten; frames feeding several outputs sum). */
export function stackFramesBackward(
  dy: Float32Array, T: number, B: number, F: number, lengths: ArrayLike<number>,
  stack: number, stride: number, dx: Float32Array,
): void {
  const F2 = stack * F;
  dx.fill(0, 0, T * B * F);
  for (let b = 0; b < B; b++) {
    const L = lengths[b]!, L2 = stackedLength(L, stride);
    for (let j = 0; j < L2; j++) {
      for (let i = 0; i < stack; i++) {
        const t = j * stride + i;
        if (t >= L) break;
        const src = (j * B + b) * F2 + i * F, dst = (t * B + b) * F;
        for (let f = 0; f < F; f++) dx[dst + f]! += dy[src + f]!;
      }
    }
  }
}
