/** Rectified linear unit over flat arrays (any layout). */

/** y[i] = max(0, x[i]) for i < n; y may be x (in place). */
export function reluForward(n: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v > 0 ? v : 0;
  }
}

/** dx[i] = dy[i] where the forward output y[i] > 0, else 0; dx may be dy (in place). */
export function reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < n; i++) dx[i] = y[i]! > 0 ? dy[i]! : 0;
}
