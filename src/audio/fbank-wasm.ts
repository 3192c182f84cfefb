/**
 * Filterbank frames in WebAssembly SIMD (assembly/fbank.ts, embedded in
 * fbank-kernel.wasm.ts): four frames at a time, one per float32 lane, through a real FFT
 * (float64 window, float32 FFT and mel filters, as Kaldi and torchaudio), sparse mel
 * filters over batches of 32 frames, a four-lane log. One instance, with its own memory,
 * per kernel.
 */
import type { FrameKernel, FrameKernelConfig } from './fbank-kernel.js';
import { wasmBase64 } from './fbank-kernel.wasm.js';
import { base64Bytes } from '../util/base64.js';

interface Exports {
  memory: WebAssembly.Memory;
  configure(fftSize: number, frameSize: number, numBins: number, numWeights: number, stride: number, melCol: number,
    maxFrames: number, maxSamples: number, preemphasis: number, removeDc: number, energy: number, power: number, log: number,
    energyCol: number, logEnergyFloor: number): number;
  windowPtr(): number;
  melStartPtr(): number;
  melLengthPtr(): number;
  melOffsetPtr(): number;
  melWeightsPtr(): number;
  samplesPtr(): number;
  startsPtr(): number;
  outPtr(): number;
  run(count: number): void;
  deltaRows(from: number, to: number, dim: number, i: number, window: number): void;
  logScalar32(x: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime cannot compile it synchronously. */
function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(base64Bytes(wasmBase64));
    } catch {
      compiled = null; // no WebAssembly, no SIMD, or a synchronous compile refused (a browser's main thread)
    }
  }
  return compiled;
}

/** A fresh instance of the module's exports, or undefined where it does not load. */
export function fbankWasmExports(): Exports | undefined {
  const mod = wasmModule();
  if (!mod) return undefined;
  try {
    return new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
  } catch {
    return undefined;
  }
}

const ENERGY = { none: 0, raw: 1, windowed: 2 } as const;

class WasmFrameKernel implements FrameKernel {
  readonly kind = 'wasm';
  readonly samples: Float32Array;
  readonly starts: Int32Array;
  readonly out: Float32Array;
  readonly deltaRows: Exports['deltaRows'];
  private readonly ex: Exports;

  constructor(ex: Exports, c: FrameKernelConfig) {
    this.ex = ex;
    const b = c.banks;
    const rc = ex.configure(c.fftSize, c.frameSize, b.numBins, b.weights.length, c.stride, c.melCol, c.maxFrames, c.maxSamples,
      c.preemphasis, +c.removeDcOffset, ENERGY[c.energy], +c.usePower, +c.useLog, c.energyCol, c.logEnergyFloor);
    if (rc !== 0) throw new Error('fbank: the WebAssembly kernel could not get its memory');
    // The memory does not grow after configure, so these views stay valid.
    const buf = ex.memory.buffer;
    new Float64Array(buf, ex.windowPtr(), c.frameSize).set(c.window);
    new Int32Array(buf, ex.melStartPtr(), b.numBins).set(b.start);
    new Int32Array(buf, ex.melLengthPtr(), b.numBins).set(b.length);
    new Int32Array(buf, ex.melOffsetPtr(), b.numBins).set(b.offset);
    new Float32Array(buf, ex.melWeightsPtr(), b.weights.length).set(b.weights);
    this.samples = new Float32Array(buf, ex.samplesPtr(), c.maxSamples);
    this.starts = new Int32Array(buf, ex.startsPtr(), c.maxFrames);
    this.out = new Float32Array(buf, ex.outPtr(), c.maxFrames * c.stride);
    this.deltaRows = ex.deltaRows;
  }

  run(count: number): void {
    this.ex.run(count);
  }
}

/** The WebAssembly kernel for `config`, or undefined where the module does not load. */
export function createWasmFrameKernel(config: FrameKernelConfig): FrameKernel | undefined {
  const ex = fbankWasmExports();
  return ex ? new WasmFrameKernel(ex, config) : undefined;
}
