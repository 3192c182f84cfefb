import { ctcLogWgsl } from './ctc-log-wgsl.js';
import { CTC_MAX_STATES, ctcWgsl } from './ctc-wgsl.js';
import { adamWgsl, clipWgsl, sgdWgsl, weightNoiseWgsl } from './optimizer-wgsl.js';
import { sumSquaresWgsl } from './train-wgsl.js';
import { BufferUsage } from './usage.js';
import type { CtcLabels } from '../device-training.js';
import type { GpuView, WebGpuKernels } from './webgpu-kernels.js';

/** The programs of this file, compiled with the backend's kernels. */
export const trainingPrograms = {
  ctc: ctcWgsl, ctcLog: ctcLogWgsl, sumSquares: sumSquaresWgsl, sgd: sgdWgsl, adam: adamWgsl, clip: clipWgsl, weightNoise: weightNoiseWgsl,
};

/**
 * The CTC loss of logits [T, B, C] on the device: softmax rows into `probs` [T*B, C] and
 * log-softmax rows into `logProbs`, then one workgroup per sequence (ctc-wgsl.ts) writing
 * losses [B] and grad [T, B, C], then the log-space redo (ctc-log-wgsl.ts) of the
 * sequences whose rescaled recursion underflowed (their loss NaN), decided on the device.
 * `alpha` must hold sum over sequences of frames * (2L + 2) floats.
 */
export function ctcOnDevice(
  k: WebGpuKernels, T: number, B: number, C: number, labels: CtcLabels,
  logits: GpuView, probs: GpuView, logProbs: GpuView, alpha: GpuView, grad: GpuView, losses: GpuView,
): void {
  if (B === 0) return;
  k.softmaxRows(false, T * B, C, logits, C, probs, C);
  k.softmaxRows(true, T * B, C, logits, C, logProbs, C);
  const meta = new Int32Array(5 * B);
  let aoff = alpha.offset ?? 0;
  for (let b = 0; b < B; b++) {
    const L = labels.targetStarts[b + 1]! - labels.targetStarts[b]!;
    if (2 * L + 1 > CTC_MAX_STATES) throw new Error(`ctcLoss on webgpu: sequence ${b} has ${L} labels; at most ${(CTC_MAX_STATES - 1) / 2}`);
    meta.set([labels.targetStarts[b]!, L, labels.inputLengths[b]!, aoff, labels.impossible[b]!], 5 * b);
    aoff += labels.inputLengths[b]! * (2 * L + 2);
  }
  const bytes = (a: Int32Array | Float32Array): GPUBuffer => k.constant(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), BufferUsage.STORAGE);
  const targets = labels.targets.length > 0 ? labels.targets : new Int32Array(1);
  const params = new Uint32Array([T, B, C, labels.blank, labels.zeroInfinity ? 1 : 0, 0x7f800000, 0x7fc00000, 0]);
  if ([probs, logProbs, grad, losses].some((v) => (v.offset ?? 0) !== 0)) {
    throw new Error('ctcOnDevice: probs, logProbs, grad and losses must start their tensors');
  }
  // Fresh copies of the tables for each program: a batch submit in between frees the first ones.
  for (const [program, y] of [['ctc', probs], ['ctcLog', logProbs]] as const) {
    k.run(program, params.buffer, [y.t, { buffer: bytes(meta) }, { buffer: bytes(targets) }, { buffer: bytes(labels.gradScales) }, alpha.t, grad.t, losses.t], B);
  }
}

/** out[offOut] = sum of squares of x[0 : n] (the squared gradient norm), on the device. */
export function sumSquaresOnDevice(k: WebGpuKernels, n: number, x: GpuView, out: GpuView): void {
  k.run('sumSquares', new Uint32Array([n, x.offset ?? 0, out.offset ?? 0, 0]).buffer, [x.t, out.t], 1);
}

/**
 * Runs a one-thread-per-parameter program (optimizer-wgsl.ts) over n elements:
 * 64-thread groups on a 2-D grid, so that more than 65535 groups fit.
 */
export function perElement(k: WebGpuKernels, name: string, n: number, uniforms: ArrayBuffer, bindings: Parameters<WebGpuKernels['run']>[2]): void {
  const groups = Math.max(1, Math.ceil(n / 64)), x = Math.min(groups, 65535);
  k.run(name, uniforms, bindings, x, Math.ceil(groups / x));
}
