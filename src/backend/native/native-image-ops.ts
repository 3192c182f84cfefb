import type { ImageOps, PatchGeometry, PoolGeometry } from '../image-ops.js';
import type { Addon } from './addon.js';

/** A patch geometry in the addon's field order (image-entry.cc). */
function packPatch(g: PatchGeometry): Int32Array {
  return Int32Array.of(g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.Ho, g.Wo, g.width);
}

/** A pool geometry in the addon's field order, then its widths and its output widths (B each). */
function packPool(g: PoolGeometry): Int32Array {
  const packed = new Int32Array(12 + 2 * g.B);
  packed.set([g.B, g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.Ho, g.Wo]);
  packed.set(g.widths, 12);
  packed.set(g.outWidths, 12 + g.B);
  return packed;
}

/**
 * The convolution layers' loops in C++ (native/src/image.cc), with the results of the
 * TypeScript loops (host-image-ops.ts) bit for bit on any thread count, large ones shared
 * over the addon's pool. Arguments unchecked: NativeBackend checks them first (HostBackend).
 */
export class NativeImageOps implements ImageOps {
  constructor(private readonly addon: Addon) {}

  im2col(g: PatchGeometry, img: Float32Array, cols: Float32Array): void {
    this.addon.im2col(packPatch(g), img, cols);
  }

  col2im(g: PatchGeometry, cols: Float32Array, img: Float32Array): void {
    this.addon.col2im(packPatch(g), cols, img);
  }

  maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array): void {
    this.addon.maxPoolForward(packPool(g), x, y);
  }

  maxPoolBackward(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.addon.maxPoolBackward(packPool(g), x, dy, dx);
  }

  reluForward(n: number, x: Float32Array, y: Float32Array): void {
    this.addon.reluForward(n, x, y);
  }

  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.addon.reluBackward(n, y, dy, dx);
  }

  addRowSums(rows: number, cols: number, a: Float32Array, out: Float32Array): void {
    this.addon.addRowSums(rows, cols, a, out);
  }

  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void {
    this.addon.transposeBatch(batch, rows, cols, src, dst);
  }
}
