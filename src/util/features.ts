/** A feature matrix: `frames` rows of `dim` values, row-major in `data` (frames x dim). */
export interface Features {
  data: Float32Array;
  frames: number;
  dim: number;
}

/** Throws unless `f.data` holds exactly frames x dim finite-shaped values. */
export function checkFeatures(f: Features, what: string): void {
  if (!Number.isInteger(f.frames) || !Number.isInteger(f.dim) || f.frames < 0 || f.dim <= 0 || f.data.length !== f.frames * f.dim) {
    throw new Error(`${what}: features of ${f.data.length} values do not match ${f.frames} frames x ${f.dim} dims`);
  }
}
