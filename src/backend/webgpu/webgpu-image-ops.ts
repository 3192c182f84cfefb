import { type ImageOps, type PatchGeometry, type PoolGeometry, checkFlatArrays, checkPatchArrays, checkPoolArrays } from '../image-ops.js';
import { BufferUsage } from './usage.js';
import type { WebGpuArrays } from './webgpu-device-training.js';
import type { GpuTensor, GpuView } from './webgpu-kernels.js';
import { perElement } from './webgpu-training.js';

/**
 * ImageOps over the WGSL programs of image-wgsl.ts: the convolution layers' loops on the
 * device (addRowSums is the backend's, a product with its ones). WebGPU forbids binding a buffer as written and again in one dispatch, so a read
 * operand that shares the written one's buffer is first copied to a temporary tensor.
 */
export class WebGpuImageOps implements Omit<ImageOps, 'addRowSums'> {
  constructor(private readonly be: WebGpuArrays) {}

  im2col(g: PatchGeometry, img: Float32Array, cols: Float32Array): void {
    checkPatchArrays('im2col', g, img, cols);
    this.patches('im2col', g, img, cols, g.C * g.kh * g.kw * g.Ho * g.Wo, false);
  }

  col2im(g: PatchGeometry, cols: Float32Array, img: Float32Array): void {
    checkPatchArrays('col2im', g, img, cols);
    this.patches('col2im', g, img, cols, g.C * g.H * g.W, true);
  }

  maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array): void {
    checkPoolArrays('maxPoolForward', g, x, y);
    const yv = this.v(y, 'maxPoolForward');
    this.withApart([[x, g.B * g.C * g.H * g.W]], yv, ([xv]) => {
      this.pool('maxPoolForward', g, xv!, yv.offset ?? 0, 0, [yv.t], g.B * g.C * g.Ho * g.Wo);
    });
  }

  maxPoolBackward(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    checkPoolArrays('maxPoolBackward', g, x, dy);
    checkPoolArrays('maxPoolBackward', g, dx, dy);
    const n = g.B * g.C * g.H * g.W, dv = this.v(dx, 'maxPoolBackward');
    this.withApart([[x, n], [dy, g.B * g.C * g.Ho * g.Wo]], dv, ([xv, yv]) => {
      this.pool('maxPoolBackward', g, xv!, yv!.offset ?? 0, dv.offset ?? 0, [yv!.t, dv.t], n);
    });
  }

  reluForward(n: number, x: Float32Array, y: Float32Array): void {
    checkFlatArrays('reluForward', n, { x, y });
    if (n === 0) return;
    const xv = this.v(x, 'reluForward'), yv = this.v(y, 'reluForward');
    // Not in place: copy, then work in place on y.
    if (xv.t !== yv.t || xv.offset !== yv.offset) this.be.kernels.copyRows(1, n, xv, n, yv, n);
    perElement(this.be.kernels, 'reluForward', n, new Uint32Array([n, yv.offset ?? 0, 0, 0]).buffer, [yv.t]);
  }

  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    checkFlatArrays('reluBackward', n, { y, dy, dx });
    if (n === 0) return;
    const dyv = this.v(dy, 'reluBackward'), dxv = this.v(dx, 'reluBackward');
    if (dyv.t !== dxv.t || dyv.offset !== dxv.offset) this.be.kernels.copyRows(1, n, dyv, n, dxv, n);
    this.withApart([[y, n]], dxv, ([yv]) => {
      perElement(this.be.kernels, 'reluBackward', n, new Uint32Array([n, yv!.offset ?? 0, dxv.offset ?? 0, 0]).buffer, [yv!.t, dxv.t]);
    });
  }

  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void {
    const n = batch * rows * cols;
    checkFlatArrays('transposeBatch', n, { src, dst });
    if (n === 0) return;
    const dv = this.v(dst, 'transposeBatch');
    this.withApart([[src, n]], dv, ([sv]) => {
      const u = new Uint32Array([batch, rows, cols, sv!.offset ?? 0, dv.offset ?? 0, 0, 0, 0]);
      perElement(this.be.kernels, 'transposeBatch', n, u.buffer, [sv!.t, dv.t]);
    });
  }

  /** im2col (reads img, writes cols) or col2im (reads cols, writes img): n threads. */
  private patches(name: string, g: PatchGeometry, img: Float32Array, cols: Float32Array, n: number, toImage: boolean): void {
    if (n === 0) return;
    const written = this.v(toImage ? img : cols, name);
    const read: [Float32Array, number] = toImage ? [cols, g.C * g.kh * g.kw * g.Ho * g.Wo] : [img, g.C * g.H * g.W];
    this.withApart([read], written, ([r]) => {
      const [iv, cv] = toImage ? [written, r!] : [r!, written];
      const u = new Uint32Array([g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.Ho, g.Wo, g.width, iv.offset ?? 0, cv.offset ?? 0, 0, 0]);
      perElement(this.be.kernels, name, n, u.buffer, [r!.t, written.t]);
    });
  }

  /** A pooling program over n threads: x, the widths table, then `rest` bindings. */
  private pool(name: string, g: PoolGeometry, x: GpuView, offY: number, offD: number, rest: GpuTensor[], n: number): void {
    if (n === 0) return;
    const table = new Int32Array(2 * g.B);
    for (let b = 0; b < g.B; b++) table.set([g.widths[b]!, g.outWidths[b]!], 2 * b);
    const widths = { buffer: this.be.kernels.constant(new Uint8Array(table.buffer), BufferUsage.STORAGE), length: table.length };
    const u = new Uint32Array([g.B, g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.Ho, g.Wo, x.offset ?? 0, offY, offD, 0]);
    perElement(this.be.kernels, name, n, u.buffer, [x.t, widths, ...rest]);
  }

  /**
   * Runs `body` with views of `reads` (array, elements read) that do not share `written`'s
   * buffer: the ones that do are copied to temporary tensors, freed once the dispatch is recorded.
   */
  private withApart(reads: [Float32Array, number][], written: GpuView, body: (views: GpuView[]) => void): void {
    const k = this.be.kernels, temps: GpuTensor[] = [];
    const views = reads.map(([a, n]) => {
      const v = this.v(a, 'webgpu');
      if (v.t.buffer !== written.t.buffer || n === 0) return v;
      const t = k.alloc(n);
      k.copyRows(1, n, v, n, { t }, n);
      temps.push(t);
      return { t };
    });
    body(views);
    for (const t of temps) k.free(t);
  }

  private v(a: Float32Array, fn: string): GpuView {
    return this.be.view(a, fn);
  }
}
