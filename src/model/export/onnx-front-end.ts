/**
 * sayre's speech front end as ONNX nodes: samples [N, S] (in [-1, 1), at the model's rate)
 * with samples_lens [N] -> Kaldi log-mel filterbank (frames by Gather, DC removal,
 * pre-emphasis, window, a DFT as two matrix products, mel filters, log) -> CMVN ->
 * features [N, T, M] and their lengths. The filterbank runs in float64, as sayre's
 * TypeScript kernel does, so that weak bands agree too; resampling stays outside.
 */
import type { CmvnJson } from '../../audio/cmvn.js';
import type { FbankOptions } from '../../audio/fbank.js';
import { featureWindow } from '../../audio/feature-window.js';
import { melBanks } from '../../audio/mel-banks.js';
import type { GraphBuilder } from './onnx-graph.js';
import { dimNodes } from './onnx-layers.js';
import { OnnxType } from './onnx-proto.js';

/** Kaldi's floor inside the log: float32's machine epsilon. */
const EPS = 1.1920928955078125e-7;
const INT16_SCALE = 32768;

/** Throws naming the option where the filterbank options are ones the graph does not build. */
function checkExportable(o: FbankOptions): void {
  const unsupported: [keyof FbankOptions, boolean][] = [
    ['useEnergy', o.useEnergy === true], ['snipEdges', o.snipEdges === false], ['useLogFbank', o.useLogFbank === false],
    ['subtractMean', o.subtractMean === true], ['deltaOrder', (o.deltaOrder ?? 0) > 0], ['dither', (o.dither ?? 0) !== 0],
  ];
  for (const [k, bad] of unsupported) if (bad) throw new Error(`ONNX export of the front end: fbank option ${k}=${JSON.stringify(o[k])} is not supported (export the features-in model only)`);
}

/** The front end's nodes: returns features [N, T, M] (float, CMVN applied) and their lengths (int64 [N]). */
export function frontEndNodes(g: GraphBuilder, sampleRate: number, o: FbankOptions, cmvn: CmvnJson, samples: string, samplesLens: string): { features: string; lengths: string } {
  checkExportable(o);
  const shift = Math.trunc(sampleRate * (o.frameShiftMs ?? 10) * 0.001), size = Math.trunc(sampleRate * (o.frameLengthMs ?? 25) * 0.001);
  const padded = (o.roundToPowerOfTwo ?? true) ? 2 ** Math.ceil(Math.log2(size)) : size;
  const c = o.preemphasis ?? 0.97, numBins = o.numMelBins ?? 23;
  // frames = (len - size + shift) / shift where len >= size - shift, else 0
  const frameCount = (len: string, base: string): string =>
    g.op('Div', [g.op('Max', [g.op('Add', [len, g.int64(`${base}_less`, [shift - size], [])]), g.int64(`${base}_zero`, [0], [])]), g.int64(`${base}_shift`, [shift], [])], {}, base);
  const T = frameCount(dimNodes(g, samples, 1, 'num_samples'), 'num_frames');
  const lengths = frameCount(samplesLens, 'feature_lens');
  // sample indices [T, size]: frame t reads t*shift .. t*shift + size - 1
  const starts = g.op('Mul', [g.op('Range', [g.int64('fe_zero', [0], []), T, g.int64('fe_one', [1], [])]), g.int64('fe_shift', [shift], [])]);
  const index = g.op('Add', [g.op('Unsqueeze', [starts, g.int64('fe_axis1', [1])]), g.int64('frame_offsets', Array.from({ length: size }, (_, i) => i), [1, size])]);
  let x = g.op('Gather', [g.op('Cast', [samples], { to: OnnxType.DOUBLE }), index], { axis: 1 }, 'frames');
  if (o.removeDcOffset ?? true) x = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [2], keepdims: 1 })], {}, 'frames_dc');
  if (c !== 0) {
    // x[i] - c x[i-1], with x[-1] taken as x[0] (Kaldi)
    const slice = (from: number, to: number): string => g.op('Slice', [x, g.int64(`pre_from${from}`, [from]), g.int64(`pre_to${to}`, [to]), g.int64('pre_axis', [2])]);
    const prev = g.op('Concat', [slice(0, 1), slice(0, size - 1)], { axis: 2 }, 'previous');
    x = g.op('Sub', [x, g.op('Mul', [prev, g.float('preemphasis', [], Float64Array.of(c))])], {}, 'preemphasised');
  }
  const win = featureWindow(o.windowType ?? 'povey', size, o.blackmanCoeff ?? 0.42).map((w) => w * INT16_SCALE);
  x = g.op('Mul', [x, g.float('window', [size], win)], {}, 'windowed');
  // DFT bins 0 .. padded/2 - 1 (the Nyquist bin feeds no mel filter): the zero padding adds nothing
  const half = padded / 2;
  const cos = new Float64Array(size * half), sin = new Float64Array(size * half);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < half; k++) {
      const a = (2 * Math.PI * ((i * k) % padded)) / padded;
      cos[i * half + k] = Math.cos(a);
      sin[i * half + k] = Math.sin(a);
    }
  }
  const re = g.op('MatMul', [x, g.float('dft_cos', [size, half], cos)], {}, 'dft_re');
  const im = g.op('MatMul', [x, g.float('dft_sin', [size, half], sin)], {}, 'dft_im');
  let spectrum = g.op('Add', [g.op('Mul', [re, re]), g.op('Mul', [im, im])], {}, 'power');
  if (o.usePower === false) spectrum = g.op('Sqrt', [spectrum], {}, 'magnitude');
  const banks = melBanks(numBins, padded, sampleRate, o.lowFreq ?? 20, o.highFreq ?? 0);
  const mel = new Float64Array(half * numBins);
  for (let m = 0; m < numBins; m++) {
    for (let j = 0; j < banks.length[m]!; j++) mel[(banks.start[m]! + j) * numBins + m] = banks.weights[banks.offset[m]! + j]!;
  }
  const energies = g.op('MatMul', [spectrum, g.float('mel_banks', [half, numBins], mel)], {}, 'mel');
  const logMel = g.op('Cast', [g.op('Log', [g.op('Max', [energies, g.float('log_floor', [], Float64Array.of(EPS))])])], { to: OnnxType.FLOAT }, 'log_mel');
  let features = g.op('Sub', [logMel, g.float('cmvn_mean', [numBins], Float32Array.from(cmvn.mean))], {}, 'cmvn_centred');
  if (cmvn.invStd) features = g.op('Mul', [features, g.float('cmvn_inv_std', [numBins], Float32Array.from(cmvn.invStd))], {}, 'features');
  return { features, lengths };
}
