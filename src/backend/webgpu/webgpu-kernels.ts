import { requestWebGpuDevice } from './device.js';
import { GEMM_TILE, gemmWgsl } from './gemm-wgsl.js';
import { ELEMENT_THREADS, lstmCellBackwardWgsl, lstmCellForwardWgsl } from './lstm-cell-wgsl.js';
import { softmaxWgsl } from './softmax-wgsl.js';
import { BufferUsage, MapModeRead } from './usage.js';

/**
 * A float32 tensor resident on the GPU: a storage buffer of `length` elements. Kernels
 * take a handle plus an element offset, as the CPU backends take a Float32Array view.
 */
export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly length: number;
}

/** A handle and where in it a matrix starts (in elements). */
export interface GpuView {
  readonly t: GpuTensor;
  readonly offset?: number;
}

const MAX_GROUPS = 65535;

/**
 * WGSL kernels on one WebGPU device: GEMM, softmax / log-softmax rows, the fused LSTM
 * cell forward and backward. Kernels are enqueued (synchronously, no waiting); only `read()` waits
 * for the device, and `readBacks` counts those waits, so a caller can check that a step
 * reads back once. Not yet a Backend: the layers still hand it Float32Arrays (docs/webgpu.md).
 */
export class WebGpuKernels {
  /** How many times `read()` copied a tensor back to the CPU. */
  readBacks = 0;
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  private constructor(readonly device: GPUDevice) {}

  /** Opens the device and compiles the kernels; rejects naming what is missing. */
  static async create(): Promise<WebGpuKernels> {
    const k = new WebGpuKernels(await requestWebGpuDevice());
    k.compile({ gemm: gemmWgsl, softmax: softmaxWgsl, lstmForward: lstmCellForwardWgsl, lstmBackward: lstmCellBackwardWgsl });
    return k;
  }

  // createComputePipelineAsync aborts the process in Dawn 0.6.2 over SwiftShader (a futex
  // error), so the pipelines are compiled synchronously, once.
  private compile(sources: Record<string, string>): void {
    for (const [name, code] of Object.entries(sources)) {
      const module = this.device.createShaderModule({ code, label: name });
      this.pipelines.set(name, this.device.createComputePipeline({
        label: name, layout: 'auto', compute: { module, entryPoint: 'main' },
      }));
    }
  }

  /** A zeroed tensor of `length` elements. */
  alloc(length: number): GpuTensor {
    if (!Number.isInteger(length) || length < 0) throw new Error(`WebGpuKernels.alloc: bad length ${length}`);
    const buffer = this.device.createBuffer({
      size: Math.max(4, length * 4),
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    return { buffer, length };
  }

  /** A tensor holding a copy of `data`. */
  upload(data: Float32Array): GpuTensor {
    const t = this.alloc(data.length);
    this.write(t, data);
    return t;
  }

  /** Copies `data` into `t` from element `offset` on. */
  write(t: GpuTensor, data: Float32Array, offset = 0): void {
    if (offset + data.length > t.length) throw new Error(`WebGpuKernels.write: ${data.length} elements at ${offset} exceed the tensor's ${t.length}`);
    this.device.queue.writeBuffer(t.buffer, offset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Waits for the queued kernels and copies the whole tensor back: the one synchronisation point. */
  async read(t: GpuTensor): Promise<Float32Array> {
    const bytes = Math.max(4, t.length * 4);
    const staging = this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(t.buffer, 0, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(MapModeRead);
    const out = new Float32Array(staging.getMappedRange().slice(0, t.length * 4));
    staging.unmap();
    staging.destroy();
    this.readBacks++;
    return out;
  }

  /** Frees a tensor's GPU memory; the handle must not be used after. */
  free(t: GpuTensor): void {
    t.buffer.destroy();
  }

  /** C = alpha * op(A) * op(B) + beta * C, with the arguments of Backend.gemm on GPU views. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, a: GpuView, lda: number, b: GpuView, ldb: number,
    beta: number, c: GpuView, ldc: number,
  ): void {
    if (m === 0 || n === 0) return;
    need('gemm', 'A', a, transA ? k : m, transA ? m : k, lda);
    need('gemm', 'B', b, transB ? n : k, transB ? k : n, ldb);
    need('gemm', 'C', c, m, n, ldc);
    const u = new ArrayBuffer(48), iv = new Uint32Array(u), fv = new Float32Array(u);
    iv.set([m, n, k, lda, ldb, ldc, a.offset ?? 0, b.offset ?? 0, c.offset ?? 0, (transA ? 1 : 0) | (transB ? 2 : 0)]);
    fv[10] = alpha;
    fv[11] = beta;
    this.dispatch('gemm', u, [a.t, b.t, c.t], Math.ceil(n / GEMM_TILE), Math.ceil(m / GEMM_TILE));
  }

  /** dst rows = softmax (or log-softmax, `log`) of src rows [rows, n], row strides ldSrc, ldDst. */
  softmaxRows(log: boolean, rows: number, n: number, src: GpuView, ldSrc: number, dst: GpuView, ldDst: number): void {
    if (rows === 0 || n === 0) return;
    need('softmaxRows', 'src', src, rows, n, ldSrc);
    need('softmaxRows', 'dst', dst, rows, n, ldDst);
    if (src.t === dst.t) throw new Error('softmaxRows: src and dst must be different tensors');
    const u = new Uint32Array([rows, n, ldSrc, ldDst, src.offset ?? 0, dst.offset ?? 0, log ? 1 : 0, 0]);
    this.dispatch('softmax', u.buffer, [src.t, dst.t], Math.min(rows, MAX_GROUPS), Math.ceil(rows / MAX_GROUPS));
  }

  /** The fused LSTM cell forward of Backend.lstmCellForward on whole tensors (no offsets). */
  lstmCellForward(rows: number, hidden: number, gates: GpuTensor, cPrev: GpuTensor, c: GpuTensor, h: GpuTensor, ldh: number): void {
    if (rows === 0 || hidden === 0) return;
    need('lstmCellForward', 'gates', { t: gates }, rows, 4 * hidden, 4 * hidden);
    need('lstmCellForward', 'cPrev', { t: cPrev }, rows, hidden, hidden);
    need('lstmCellForward', 'c', { t: c }, rows, hidden, hidden);
    need('lstmCellForward', 'h', { t: h }, rows, hidden, ldh);
    this.elementwise('lstmForward', rows, hidden, ldh, [gates, cPrev, c, h]);
  }

  /** The fused LSTM cell backward of Backend.lstmCellBackward on whole tensors (no offsets). */
  lstmCellBackward(
    rows: number, hidden: number, gates: GpuTensor, cPrev: GpuTensor, c: GpuTensor,
    dh: GpuTensor, lddh: number, dc: GpuTensor, dGates: GpuTensor,
  ): void {
    if (rows === 0 || hidden === 0) return;
    need('lstmCellBackward', 'gates', { t: gates }, rows, 4 * hidden, 4 * hidden);
    need('lstmCellBackward', 'dGates', { t: dGates }, rows, 4 * hidden, 4 * hidden);
    for (const [what, t] of [['cPrev', cPrev], ['c', c], ['dc', dc]] as const) need('lstmCellBackward', what, { t }, rows, hidden, hidden);
    need('lstmCellBackward', 'dh', { t: dh }, rows, hidden, lddh);
    this.elementwise('lstmBackward', rows, hidden, lddh, [gates, cPrev, c, dh, dc, dGates]);
  }

  /** One thread per (row, unit) of a [rows, hidden] cell kernel; `ld` is its strided operand's row stride. */
  private elementwise(name: string, rows: number, hidden: number, ld: number, tensors: GpuTensor[]): void {
    const groups = Math.ceil(rows * hidden / ELEMENT_THREADS);
    const x = Math.min(groups, MAX_GROUPS);
    this.dispatch(name, new Uint32Array([rows, hidden, ld, 0]).buffer, tensors, x, Math.ceil(groups / x));
  }

  /** Releases the device; the kernels and tensors must not be used after. */
  destroy(): void {
    this.device.destroy();
  }

  private dispatch(name: string, params: ArrayBuffer, tensors: GpuTensor[], x: number, y: number): void {
    const pipeline = this.pipelines.get(name)!;
    const uniform = this.device.createBuffer({ size: params.byteLength, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    this.device.queue.writeBuffer(uniform, 0, params);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: uniform } }, ...tensors.map((t, i) => ({ binding: i + 1, resource: { buffer: t.buffer } }))],
    });
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    // Destroying after submit is allowed: the device frees it once the queued work is done.
    uniform.destroy();
  }
}

/** Checks that a [rows, cols] matrix with row stride ld fits in the view. */
function need(fn: string, what: string, v: GpuView, rows: number, cols: number, ld: number): void {
  const off = v.offset ?? 0;
  if (!Number.isInteger(off) || off < 0) throw new Error(`${fn}: ${what} offset ${off} is not a non-negative integer`);
  if (cols > ld) throw new Error(`${fn}: ${what} row stride ${ld} < ${cols} columns`);
  if (rows > 0 && off + (rows - 1) * ld + cols > v.t.length) {
    throw new Error(`${fn}: ${what} [${rows}x${cols}, stride ${ld}] at offset ${off} exceeds the tensor's ${v.t.length} elements`);
  }
}
