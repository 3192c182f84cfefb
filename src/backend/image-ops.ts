/**
 * What the convolution, pooling and ReLU layers (nn/conv2d.ts, nn/max-pool2d.ts,
 * nn/relu.ts) do to backend arrays besides products: the per-element loops, which on the
 * CPU backends are host loops (host-image-ops.ts) and on webgpu WGSL kernels. Images are
 * NCHW; a sample's real columns are [0, width), the rest padding that reads as zero (or
 * never wins a pooling window).
 */
export interface ImageOps {
  /**
   * im2col of one sample: cols [K = C*kh*kw, Ho*Wo] with
   * cols[(c*kh+i)*kw+j, oy*Wo+ox] = img[c, oy*sh - ph + i, ox*sw - pw + j], zero outside rows
   * [0, H) and columns [0, width). img [C, H, W] (a view of the sample).
   */
  im2col(g: PatchGeometry, img: Float32Array, cols: Float32Array): void;

  /** The backward of {@link ImageOps.im2col}: img [C, H, W] += cols at the same places (real columns only). */
  col2im(g: PatchGeometry, cols: Float32Array, img: Float32Array): void;

  /**
   * Max pooling: x [B, C, H, W] -> y [B, C, Ho, Wo] (overwritten), each window's maximum
   * over the sample's real columns (the first on ties); zero right of a sample's real
   * output width.
   */
  maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array): void;

  /**
   * Backward of {@link ImageOps.maxPoolForward}: dx [B, C, H, W] overwritten with, per
   * element, the sum of dy over the real outputs whose window it won (found again from x,
   * so no argmax table is kept).
   */
  maxPoolBackward(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /** y[i] = max(0, x[i]) for i < n (NaN gives 0); y may be x. */
  reluForward(n: number, x: Float32Array, y: Float32Array): void;

  /** dx[i] = dy[i] where the forward output y[i] > 0, else 0, for i < n; dx may be dy. */
  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /**
   * out[r] += sum over j < cols of a[r * cols + j], for r < rows (a convolution's bias
   * gradient: each channel's sum over positions; in float64 on the CPU backends).
   */
  addRowSums(rows: number, cols: number, a: Float32Array, out: Float32Array): void;

  /** dst[b, c, r] = src[b, r, c]: each of `batch` [rows, cols] matrices transposed (feature maps <-> column frames). */
  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void;
}

/** One sample's convolution window over its image (sizes resolved, see nn/conv2d.ts). */
export interface PatchGeometry {
  C: number; H: number; W: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  /** Output rows, and output columns of this sample (its real output width). */
  Ho: number; Wo: number;
  /** Real input columns: [width, W) read as zero. */
  width: number;
}

/** A batch's pooling window (sizes resolved, see nn/max-pool2d.ts). */
export interface PoolGeometry {
  B: number; C: number; H: number; W: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
  Ho: number; Wo: number;
  /** Real input columns per sample. */
  widths: Int32Array;
  /** Real output columns per sample. */
  outWidths: Int32Array;
}

/** Throws unless each array holds at least its count of values (the backends read raw memory). */
function checkLengths(fn: string, arrays: Record<string, [Float32Array, number]>): void {
  for (const [name, [a, n]] of Object.entries(arrays)) {
    if (a.length < n) throw new Error(`${fn}: ${name} has ${a.length} values, needs ${n}`);
  }
}

/** The checks of im2col / col2im: img [C, H, W], cols [C*kh*kw, Ho*Wo], width within W. */
export function checkPatchArrays(fn: string, g: PatchGeometry, img: Float32Array, cols: Float32Array): void {
  if (g.width > g.W) throw new Error(`${fn}: width ${g.width} exceeds W = ${g.W}`);
  checkLengths(fn, { img: [img, g.C * g.H * g.W], cols: [cols, g.C * g.kh * g.kw * g.Ho * g.Wo] });
}

/** The checks of the pooling ops: x [B, C, H, W], y [B, C, Ho, Wo], one width per sample. */
export function checkPoolArrays(fn: string, g: PoolGeometry, x: Float32Array, y: Float32Array): void {
  if (g.widths.length !== g.B || g.outWidths.length !== g.B) throw new Error(`${fn}: widths for ${g.widths.length} samples, batch ${g.B}`);
  checkLengths(fn, { x: [x, g.B * g.C * g.H * g.W], y: [y, g.B * g.C * g.Ho * g.Wo] });
}

/** The checks of the flat ops (ReLU, transposes): every array holds n values. */
export function checkFlatArrays(fn: string, n: number, arrays: Record<string, Float32Array>): void {
  checkLengths(fn, Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, [a, n]])));
}
