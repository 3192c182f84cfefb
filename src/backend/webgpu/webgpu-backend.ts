import type { Backend } from '../backend.js';
import { checkGemm, checkLstm } from '../validate.js';
import { type GpuTensor, type GpuView, WebGpuKernels } from './webgpu-kernels.js';
import { WebGpuDeviceTraining } from './webgpu-device-training.js';
import { trainingPrograms } from './webgpu-training.js';
import { WebGpuDeviceTransducer, transducerPrograms } from './webgpu-device-transducer.js';
import { imagePrograms } from './image-wgsl.js';
import type { PatchGeometry, PoolGeometry } from '../image-ops.js';
import { WebGpuImageOps } from './webgpu-image-ops.js';

/**
 * The WebGPU backend: every array is a handle. `alloc(n)` returns a Float32Array of n
 * elements whose own memory is only a staging copy, paired with a GPU buffer of n floats;
 * a subarray view of it names the same buffer at the view's offset, so layers pass views
 * exactly as on the CPU backends. Kernels are queued and run on the device; host code
 * writes inputs into an array and calls `upload`, and `await read(view)` brings results
 * back (counted in `readBacks`). Any other Float32Array given to a kernel is refused,
 * naming the kernel, so a host path that was not converted fails loudly.
 */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly threads = 1;
  readonly onDevice = true;
  private readonly tensors = new WeakMap<ArrayBufferLike, GpuTensor>();
  private readonly collected = new FinalizationRegistry<GpuTensor>((t) => this.kernels.free(t));

  /** The CTC loss, gradient norm and optimiser on the device (a training step with one read-back). */
  readonly training: WebGpuDeviceTraining = new WebGpuDeviceTraining(this);

  /** The RNN-T joint's tanh forward and backward, and the RNN-T loss, on the device. */
  readonly transducer: WebGpuDeviceTransducer = new WebGpuDeviceTransducer(this);

  /** The convolution layers' loops on the device (image-wgsl.ts). */
  private readonly image = new WebGpuImageOps(this);

  private constructor(readonly kernels: WebGpuKernels) {}

  /** Opens a device (rejects naming what is missing: the npm package `webgpu` or an adapter). */
  static async create(): Promise<WebGpuBackend> {
    return new WebGpuBackend(await WebGpuKernels.create({ ...trainingPrograms, ...transducerPrograms, ...imagePrograms }));
  }

  get readBacks(): number {
    return this.kernels.readBacks;
  }

  alloc(length: number): Float32Array {
    const host = new Float32Array(length);
    this.tensors.set(host.buffer, this.kernels.alloc(length));
    return host;
  }

  array(length: number): Float32Array {
    const host = this.alloc(length);
    this.collected.register(host.buffer, this.tensors.get(host.buffer)!, host.buffer);
    return host;
  }

  free(buf: Float32Array): void {
    const t = this.tensors.get(buf.buffer);
    if (!t || buf.byteOffset !== 0) return;
    this.tensors.delete(buf.buffer);
    this.collected.unregister(buf.buffer);
    this.kernels.free(t);
  }

  /** The device tensor and offset behind a view of an array from alloc/array. */
  view(a: Float32Array, fn = 'webgpu'): GpuView {
    const t = this.tensors.get(a.buffer);
    if (!t) {
      throw new Error(`${fn}: webgpu got a Float32Array that is not one of its arrays (host data goes in through `
        + 'backend.alloc(n), set, then backend.upload)');
    }
    return { t, offset: a.byteOffset / 4 };
  }

  upload(a: Float32Array): void {
    const v = this.view(a, 'upload');
    this.kernels.write(v.t, a, v.offset);
  }

  async read(a: Float32Array): Promise<Float32Array> {
    a.set(await this.kernels.readRange(this.view(a, 'read'), a.length));
    return a;
  }

  fill(a: Float32Array, value: number): void {
    this.kernels.fill(this.view(a, 'fill'), a.length, value);
  }

  copy(src: Float32Array, dst: Float32Array): void {
    if (dst.length < src.length) throw new Error(`copy: ${src.length} elements into ${dst.length}`);
    this.kernels.copyRows(1, src.length, this.view(src, 'copy'), src.length, this.view(dst, 'copy'), src.length);
  }

  copyRows(rows: number, cols: number, src: Float32Array, lds: number, dst: Float32Array, ldd: number): void {
    this.kernels.copyRows(rows, cols, this.view(src, 'copyRows'), lds, this.view(dst, 'copyRows'), ldd);
  }

  axpy(alpha: number, x: Float32Array, y: Float32Array): void {
    if (y.length < x.length) throw new Error(`axpy: y has ${y.length} elements, x ${x.length}`);
    this.kernels.axpy(x.length, alpha, this.view(x, 'axpy'), this.view(y, 'axpy'));
  }

  gatherRows(cols: number, src: Float32Array, index: Int32Array, dst: Float32Array): void {
    if (dst.length < index.length * cols) throw new Error(`gatherRows: dst has ${dst.length} elements, needs ${index.length * cols}`);
    this.kernels.gatherRows(cols, this.view(src, 'gatherRows'), cols === 0 ? 0 : Math.floor(src.length / cols), index, this.view(dst, 'gatherRows'));
  }

  private ones: Float32Array | undefined;

  /** A device array of at least n ones (sums as products). */
  private onesOf(n: number): Float32Array {
    if (!this.ones || this.ones.length < n) {
      if (this.ones) this.free(this.ones);
      this.ones = this.alloc(Math.ceil(n * 1.25));
      this.fill(this.ones, 1);
    }
    return this.ones;
  }

  addColumnSums(rows: number, cols: number, a: Float32Array, lda: number, out: Float32Array): void {
    if (rows === 0) return;
    this.gemm(false, false, 1, cols, rows, 1, this.onesOf(rows), rows, a, lda, 1, out, cols);
  }

  addRowSums(rows: number, cols: number, a: Float32Array, out: Float32Array): void {
    if (rows === 0 || cols === 0) return;
    // out [rows, 1] += a [rows, cols] x ones [cols, 1]
    this.gemm(false, false, rows, 1, cols, 1, a, cols, this.onesOf(cols), 1, 1, out, 1);
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number,
    beta: number, c: Float32Array, ldc: number,
  ): void {
    checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
    this.kernels.gemm(transA, transB, m, n, k, alpha, this.view(a, 'gemm'), lda, this.view(b, 'gemm'), ldb, beta, this.view(c, 'gemm'), ldc);
  }

  lstmCellForward(rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array, h: Float32Array, ldh: number): void {
    checkLstm('lstmCellForward', rows, hidden, { gates }, { cPrev, c }, ['h', h, ldh]);
    const v = (x: Float32Array): GpuView => this.view(x, 'lstmCellForward');
    this.kernels.lstmCellForward(rows, hidden, v(gates), v(cPrev), v(c), v(h), ldh);
  }

  lstmCellBackward(
    rows: number, hidden: number, gates: Float32Array, cPrev: Float32Array,
    c: Float32Array, dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array,
  ): void {
    checkLstm('lstmCellBackward', rows, hidden, { gates, dGates }, { cPrev, c, dc }, ['dh', dh, lddh]);
    const v = (x: Float32Array): GpuView => this.view(x, 'lstmCellBackward');
    this.kernels.lstmCellBackward(rows, hidden, v(gates), v(cPrev), v(c), v(dh), lddh, v(dc), v(dGates));
  }

  im2col(g: PatchGeometry, img: Float32Array, cols: Float32Array): void {
    this.image.im2col(g, img, cols);
  }

  col2im(g: PatchGeometry, cols: Float32Array, img: Float32Array): void {
    this.image.col2im(g, cols, img);
  }

  maxPoolForward(g: PoolGeometry, x: Float32Array, y: Float32Array): void {
    this.image.maxPoolForward(g, x, y);
  }

  maxPoolBackward(g: PoolGeometry, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.image.maxPoolBackward(g, x, dy, dx);
  }

  reluForward(n: number, x: Float32Array, y: Float32Array): void {
    this.image.reluForward(n, x, y);
  }

  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
    this.image.reluBackward(n, y, dy, dx);
  }

  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void {
    this.image.transposeBatch(batch, rows, cols, src, dst);
  }

  /** Releases the device; nothing may use this backend or its arrays afterwards. */
  destroy(): void {
    this.kernels.destroy();
  }
}
