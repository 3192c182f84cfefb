import { requestWebGpuDevice } from './device.js';
import { axpyWgsl, copyRowsWgsl, fillWgsl, gatherRowsWgsl } from './array-wgsl.js';
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

/** One storage binding of a dispatch: a tensor, or raw bytes (an index table). */
type Binding = GpuTensor | { readonly buffer: GPUBuffer };

const MAX_GROUPS = 65535;
/** Dispatches recorded into one command buffer before it is submitted. */
const BATCH = 256;

/** Extra WGSL programs compiled beside the built-in kernels (name -> source). */
export type KernelSources = Record<string, string>;

/**
 * WGSL kernels on one WebGPU device: GEMM, softmax / log-softmax rows, the fused LSTM
 * cell forward and backward, and the array operations of backend/array-ops.ts. Kernels
 * are recorded (synchronously, no waiting) into command buffers submitted in batches;
 * only `read()` waits for the device, and `readBacks` counts those waits, so a caller can
 * check that a step reads back once. `WebGpuBackend` wraps these as a `Backend`.
 */
export class WebGpuKernels {
  /** How many times `read()` copied a tensor back to the CPU. */
  readBacks = 0;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | undefined;
  private recorded = 0;
  /** Buffers to destroy once the command buffer that uses them is submitted. */
  private readonly retired: GPUBuffer[] = [];

  /** The first validation or device error Dawn reported; the next read throws it. */
  private deviceError: string | undefined;
  /** Copies back from temporaries to written operands that shared a buffer (see unaliasWritten). */
  private readonly copyBacks: Array<() => void> = [];

  private constructor(readonly device: GPUDevice) {
    // Without this, an invalid dispatch is dropped and only a console line says so.
    device.onuncapturederror = (e: GPUUncapturedErrorEvent) => { this.deviceError ??= e.error.message; };
  }

  /** Opens the device and compiles the kernels (and `extra` programs); rejects naming what is missing. */
  static async create(extra: KernelSources = {}): Promise<WebGpuKernels> {
    const k = new WebGpuKernels(await requestWebGpuDevice());
    k.compile({
      gemm: gemmWgsl, softmax: softmaxWgsl, lstmForward: lstmCellForwardWgsl, lstmBackward: lstmCellBackwardWgsl,
      fill: fillWgsl, copyRows: copyRowsWgsl, axpy: axpyWgsl, gatherRows: gatherRowsWgsl, ...extra,
    });
    return k;
  }

  // createComputePipelineAsync aborts the process in Dawn 0.6.2 over SwiftShader (a futex
  // error), so the pipelines are compiled synchronously, once.
  private compile(sources: KernelSources): void {
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

  /** Copies `data` into `t` from element `offset` on, after every kernel recorded so far. */
  write(t: GpuTensor, data: Float32Array, offset = 0): void {
    if (offset + data.length > t.length) throw new Error(`WebGpuKernels.write: ${data.length} elements at ${offset} exceed the tensor's ${t.length}`);
    // queue.writeBuffer runs before any command buffer submitted later, so submit what is recorded first.
    this.flush();
    this.device.queue.writeBuffer(t.buffer, offset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Waits for the queued kernels and copies the whole tensor back: the one synchronisation point. */
  async read(t: GpuTensor): Promise<Float32Array> {
    return this.readRange({ t }, t.length);
  }

  /** As read(), elements [offset, offset + length) of a view. */
  async readRange(v: GpuView, length: number): Promise<Float32Array> {
    const off = v.offset ?? 0;
    need('read', 'tensor', v, 1, length, length);
    const bytes = Math.max(4, length * 4);
    const staging = this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    const enc = this.commands();
    if (length > 0) enc.copyBufferToBuffer(v.t.buffer, off * 4, staging, 0, length * 4);
    this.flush();
    await staging.mapAsync(MapModeRead);
    const out = new Float32Array(staging.getMappedRange().slice(0, length * 4));
    staging.unmap();
    staging.destroy();
    this.readBacks++;
    if (this.deviceError) throw new Error(`WebGPU device error: ${this.deviceError}`);
    return out;
  }

  /** Submits the kernels recorded so far (reads and writes do this themselves). */
  flush(): void {
    if (!this.encoder) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.recorded = 0;
    // Destroying after submit is allowed: the device frees them once the queued work is done.
    for (const b of this.retired.splice(0)) b.destroy();
  }

  /** Frees a tensor's GPU memory once the kernels recorded so far are done; the handle must not be used after. */
  free(t: GpuTensor): void {
    this.retired.push(t.buffer);
    if (!this.encoder) this.flush();
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
    const aa = this.unalias(a, span(transA ? k : m, transA ? m : k, lda), [c]);
    const bb = this.unalias(b, span(transB ? n : k, transB ? k : n, ldb), [c]);
    const u = new ArrayBuffer(48), iv = new Uint32Array(u), fv = new Float32Array(u);
    iv.set([m, n, k, lda, ldb, ldc, aa.offset ?? 0, bb.offset ?? 0, c.offset ?? 0, (transA ? 1 : 0) | (transB ? 2 : 0)]);
    fv[10] = alpha;
    fv[11] = beta;
    this.dispatch('gemm', u, [aa.t, bb.t, c.t], Math.ceil(n / GEMM_TILE), Math.ceil(m / GEMM_TILE));
  }

  /** dst rows = softmax (or log-softmax, `log`) of src rows [rows, n], row strides ldSrc, ldDst. */
  softmaxRows(log: boolean, rows: number, n: number, src: GpuView, ldSrc: number, dst: GpuView, ldDst: number): void {
    if (rows === 0 || n === 0) return;
    need('softmaxRows', 'src', src, rows, n, ldSrc);
    need('softmaxRows', 'dst', dst, rows, n, ldDst);
    const s = this.unalias(src, span(rows, n, ldSrc), [dst]);
    const u = new Uint32Array([rows, n, ldSrc, ldDst, s.offset ?? 0, dst.offset ?? 0, log ? 1 : 0, 0]);
    this.dispatch('softmax', u.buffer, [s.t, dst.t], Math.min(rows, MAX_GROUPS), Math.ceil(rows / MAX_GROUPS));
  }

  /** The fused LSTM cell forward of Backend.lstmCellForward on views. */
  lstmCellForward(rows: number, hidden: number, gates: GpuView, cPrev: GpuView, c: GpuView, h: GpuView, ldh: number): void {
    if (rows === 0 || hidden === 0) return;
    const H = hidden;
    need('lstmCellForward', 'gates', gates, rows, 4 * H, 4 * H);
    need('lstmCellForward', 'cPrev', cPrev, rows, H, H);
    need('lstmCellForward', 'c', c, rows, H, H);
    need('lstmCellForward', 'h', h, rows, H, ldh);
    const cp = this.unalias(cPrev, rows * H, [gates, c, h]);
    const cc = this.unaliasWritten(c, rows * H, [gates]);
    const hh = this.unaliasWritten(h, span(rows, H, ldh), [gates, cc]);
    const u = new Uint32Array([rows, H, ldh, gates.offset ?? 0, cp.offset ?? 0, cc.offset ?? 0, hh.offset ?? 0, 0]);
    this.elementwise('lstmForward', rows * H, u.buffer, [gates.t, cp.t, cc.t, hh.t]);
  }

  /** The fused LSTM cell backward of Backend.lstmCellBackward on views. */
  lstmCellBackward(
    rows: number, hidden: number, gates: GpuView, cPrev: GpuView, c: GpuView,
    dh: GpuView, lddh: number, dc: GpuView, dGates: GpuView,
  ): void {
    if (rows === 0 || hidden === 0) return;
    const H = hidden;
    need('lstmCellBackward', 'gates', gates, rows, 4 * H, 4 * H);
    need('lstmCellBackward', 'dGates', dGates, rows, 4 * H, 4 * H);
    for (const [what, v] of [['cPrev', cPrev], ['c', c], ['dc', dc]] as const) need('lstmCellBackward', what, v, rows, H, H);
    need('lstmCellBackward', 'dh', dh, rows, H, lddh);
    const dcc = this.unaliasWritten(dc, rows * H, [dGates]);
    const written = [dcc, dGates];
    const g = this.unalias(gates, rows * 4 * H, written), cp = this.unalias(cPrev, rows * H, written);
    const cc = this.unalias(c, rows * H, written), d = this.unalias(dh, span(rows, H, lddh), written);
    const u = new Uint32Array([rows, H, lddh, g.offset ?? 0, cp.offset ?? 0, cc.offset ?? 0, d.offset ?? 0, dcc.offset ?? 0, dGates.offset ?? 0, 0, 0, 0]);
    this.elementwise('lstmBackward', rows * H, u.buffer, [g.t, cp.t, cc.t, d.t, dcc.t, dGates.t]);
  }

  /** a[0 : n] = value. */
  fill(a: GpuView, n: number, value: number): void {
    if (n === 0) return;
    need('fill', 'a', a, 1, n, n);
    const u = new ArrayBuffer(16);
    new Uint32Array(u).set([n, a.offset ?? 0]);
    new Float32Array(u)[2] = value;
    this.elementwise('fill', n, u, [a.t]);
  }

  /** dst[r * ldd + j] = src[r * lds + j] for a [rows, cols] block; lds = 0 broadcasts src's first row. */
  copyRows(rows: number, cols: number, src: GpuView, lds: number, dst: GpuView, ldd: number): void {
    if (rows === 0 || cols === 0) return;
    need('copyRows', 'src', src, lds === 0 ? 1 : rows, cols, lds === 0 ? cols : lds);
    need('copyRows', 'dst', dst, rows, cols, ldd);
    const s = this.unalias(src, lds === 0 ? cols : span(rows, cols, lds), [dst]);
    const u = new Uint32Array([rows, cols, lds, ldd, s.offset ?? 0, dst.offset ?? 0, 0, 0]);
    this.elementwise('copyRows', rows * cols, u.buffer, [s.t, dst.t]);
  }

  /** y[0 : n] += alpha * x[0 : n]. */
  axpy(n: number, alpha: number, x: GpuView, y: GpuView): void {
    if (n === 0) return;
    need('axpy', 'x', x, 1, n, n);
    need('axpy', 'y', y, 1, n, n);
    const xx = this.unalias(x, n, [y]);
    const u = new ArrayBuffer(16);
    new Uint32Array(u).set([n, xx.offset ?? 0, y.offset ?? 0]);
    new Float32Array(u)[3] = alpha;
    this.elementwise('axpy', n, u, [xx.t, y.t]);
  }

  /** dst row i = src row index[i] (cols wide), zeros where index[i] < 0. */
  gatherRows(cols: number, src: GpuView, srcRows: number, index: Int32Array, dst: GpuView): void {
    const rows = index.length;
    if (rows === 0 || cols === 0) return;
    for (let i = 0; i < rows; i++) {
      if (index[i]! >= srcRows) throw new Error(`gatherRows: index[${i}] = ${index[i]} is past the source's ${srcRows} rows`);
    }
    need('gatherRows', 'src', src, srcRows, cols, cols);
    need('gatherRows', 'dst', dst, rows, cols, cols);
    const s = this.unalias(src, srcRows * cols, [dst]);
    const table = this.constant(new Uint8Array(index.buffer, index.byteOffset, index.byteLength), BufferUsage.STORAGE);
    const u = new Uint32Array([rows, cols, s.offset ?? 0, dst.offset ?? 0]);
    this.elementwise('gatherRows', rows * cols, u.buffer, [s.t, { buffer: table }, dst.t]);
  }

  /**
   * Runs a compiled program (one of `extra` in create) over a grid of workgroups with a
   * uniform block and storage bindings 1.. in order; the program's own layout must match.
   */
  run(name: string, params: ArrayBuffer, bindings: Binding[], x: number, y = 1): void {
    if (!this.pipelines.has(name)) throw new Error(`WebGpuKernels.run: no program named ${name}`);
    this.dispatch(name, params, bindings, x, y);
  }

  /** A storage buffer holding `bytes`, freed after the next submit. */
  constant(bytes: Uint8Array, usage: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes.byteLength / 4) * 4);
    const buf = this.device.createBuffer({ size, usage, mappedAtCreation: true });
    new Uint8Array(buf.getMappedRange()).set(bytes);
    buf.unmap();
    this.retired.push(buf);
    return buf;
  }

  /**
   * WebGPU forbids binding one buffer as writable and again in the same dispatch, so a
   * read operand that shares its tensor with a written one is first copied (its `length`
   * elements) into a temporary tensor.
   */
  private unalias(v: GpuView, length: number, written: GpuView[]): GpuView {
    if (!written.some((w) => w.t.buffer === v.t.buffer) || length === 0) return v;
    const tmp = this.alloc(length);
    this.commands().copyBufferToBuffer(v.t.buffer, (v.offset ?? 0) * 4, tmp.buffer, 0, length * 4);
    this.retired.push(tmp.buffer);
    return { t: tmp };
  }

  /**
   * As unalias, for an operand the kernel writes: it works on a temporary copy, copied
   * back over the operand's `length` elements after the dispatch.
   */
  private unaliasWritten(v: GpuView, length: number, others: GpuView[]): GpuView {
    if (!others.some((w) => w.t.buffer === v.t.buffer) || length === 0) return v;
    const tmp = this.unalias(v, length, [v]);
    this.copyBacks.push(() => this.commands().copyBufferToBuffer(tmp.t.buffer, 0, v.t.buffer, (v.offset ?? 0) * 4, length * 4));
    return tmp;
  }

  /** One thread per element of an n-element kernel. */
  private elementwise(name: string, n: number, params: ArrayBuffer, bindings: Binding[]): void {
    const groups = Math.ceil(n / ELEMENT_THREADS);
    const x = Math.min(groups, MAX_GROUPS);
    this.dispatch(name, params, bindings, x, Math.ceil(groups / x));
  }

  /** Releases the device; the kernels and tensors must not be used after. */
  destroy(): void {
    this.flush();
    this.device.destroy();
  }

  private commands(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }

  private dispatch(name: string, params: ArrayBuffer, bindings: Binding[], x: number, y: number): void {
    const pipeline = this.pipelines.get(name)!;
    const uniform = this.constant(new Uint8Array(params), BufferUsage.UNIFORM);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: uniform } }, ...bindings.map((t, i) => ({ binding: i + 1, resource: { buffer: t.buffer } }))],
    });
    const pass = this.commands().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    for (const back of this.copyBacks.splice(0)) back();
    if (++this.recorded >= BATCH) this.flush();
  }
}

/** Elements a [rows, cols] matrix with row stride ld spans. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
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
