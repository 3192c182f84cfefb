/** Rectified linear unit over flat arrays (any layout), on the backend (ImageOps). */
import type { Backend } from '../backend/index.js';

/** y[i] = max(0, x[i]) for i < n; y may be x (in place). */
export function reluForward(backend: Backend, n: number, x: Float32Array, y: Float32Array): void {
  backend.reluForward(n, x, y);
}

/** dx[i] = dy[i] where the forward output y[i] > 0, else 0; dx may be dy (in place). */
export function reluBackward(backend: Backend, n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  backend.reluBackward(n, y, dy, dx);
}
