/**
 * sayre's layers as ONNX nodes: LSTM stacks (the ONNX LSTM op, one per layer), Linear
 * layers, and the frame masks that keep padded frames at zero as sayre's packed batches do.
 */
import type { LstmStackConfig } from '../../nn/lstm-stack.js';
import type { Parameters } from '../../nn/parameters.js';
import type { GraphBuilder } from './onnx-graph.js';
import { OnnxType } from './onnx-proto.js';

/** PyTorch's gate blocks are (i, f, g, o); ONNX's are (i, o, f, c): ONNX block k is PyTorch block GATE_ORDER[k]. */
const GATE_ORDER = [0, 3, 1, 2];

/** Rows [4H, cols] from PyTorch's gate order to ONNX's, written into `out` at `offset`. */
function reorderGates(w: Float32Array, H: number, cols: number, out: Float32Array, offset: number): void {
  GATE_ORDER.forEach((src, dst) => out.set(w.subarray(src * H * cols, (src + 1) * H * cols), offset + dst * H * cols));
}

/** W [D, 4H, in], R [D, 4H, H], B [D, 8H] of one layer in ONNX's layout. */
function lstmLayerTensors(params: Parameters, prefix: string, layer: number, inputSize: number, H: number, D: number): { W: Float32Array; R: Float32Array; B: Float32Array } {
  const G = 4 * H;
  const W = new Float32Array(D * G * inputSize), R = new Float32Array(D * G * H), B = new Float32Array(D * 2 * G);
  for (let d = 0; d < D; d++) {
    const n = (w: string): Float32Array => params.value(`${prefix}${w}_l${layer}${d === 1 ? '_reverse' : ''}`);
    reorderGates(n('weight_ih'), H, inputSize, W, d * G * inputSize);
    reorderGates(n('weight_hh'), H, H, R, d * G * H);
    reorderGates(n('bias_ih'), H, 1, B, d * 2 * G);
    reorderGates(n('bias_hh'), H, 1, B, d * 2 * G + G);
  }
  return { W, R, B };
}

/** Initial or final states of a stack: one [D, B, H] value per layer. */
export interface LstmStates {
  h: string[];
  c: string[];
}

/**
 * An LSTM stack over x [T, B, inputSize] (time-major) with per-sequence lengths `seqLens`
 * (int32 [B], or '' for none): returns y [T, B, D*H] and each layer's final states.
 */
export function lstmStackNodes(
  g: GraphBuilder, params: Parameters, prefix: string, cfg: LstmStackConfig, x: string, seqLens: string, initial?: LstmStates,
): { y: string; final: LstmStates } {
  const D = cfg.bidirectional ? 2 : 1, H = cfg.hiddenSize;
  const flat = g.int64('shape_t_b_dh', [0, 0, -1]);
  let input = x;
  const final: LstmStates = { h: [], c: [] };
  for (let k = 0; k < cfg.numLayers; k++) {
    const inSize = k === 0 ? cfg.inputSize : D * H;
    const t = lstmLayerTensors(params, prefix, k, inSize, H, D);
    const name = `${prefix}l${k}`.replace(/\./g, '_');
    const W = g.float(`${name}_W`, [D, 4 * H, inSize], t.W);
    const R = g.float(`${name}_R`, [D, 4 * H, H], t.R);
    const B = g.float(`${name}_B`, [D, 8 * H], t.B);
    const inputs = [input, W, R, B, seqLens];
    if (initial) inputs.push(initial.h[k]!, initial.c[k]!);
    const [y, yh, yc] = g.node('LSTM', inputs, { hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' }, 3, `${name}_lstm`);
    final.h.push(yh!);
    final.c.push(yc!);
    // Y [T, D, B, H] -> [T, B, D, H] -> [T, B, D*H] (forward half first, as sayre's outputs)
    input = g.op('Reshape', [g.op('Transpose', [y!], { perm: [0, 2, 1, 3] }), flat], {}, `${name}_out`);
  }
  return { y: input, final };
}

/** y = x W^T (+ b) over the last axis, from the Linear layer `<prefix>weight` [out, in] (and `<prefix>bias`). */
export function linearNodes(g: GraphBuilder, params: Parameters, prefix: string, x: string): string {
  const e = params.entry(`${prefix}weight`);
  const [outF, inF] = e.shape as [number, number];
  const w = params.value(`${prefix}weight`), wt = new Float32Array(inF * outF);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) wt[i * outF + o] = w[o * inF + i]!;
  const base = prefix.replace(/\.$/, '').replace(/\./g, '_');
  const y = g.op('MatMul', [x, g.float(`${base}_weight_t`, [inF, outF], wt)], {}, `${base}_matmul`);
  return params.has(`${prefix}bias`) ? g.op('Add', [y, g.float(`${base}_bias`, [outF], params.value(`${prefix}bias`))], {}, `${base}_out`) : y;
}

/** A float mask [T, B, 1]: 1 where t < lengths[b] (lengths int64 [B]; T a 0-d int64 value). */
export function frameMaskNodes(g: GraphBuilder, T: string, lengths: string): string {
  const steps = g.op('Range', [g.int64('zero', [0], []), T, g.int64('one', [1], [])], {}, 'steps');
  const col = g.op('Unsqueeze', [steps, g.int64('axis1', [1])]);
  const real = g.op('Less', [col, lengths], {}, 'real_frames');
  return g.op('Unsqueeze', [g.op('Cast', [real], { to: OnnxType.FLOAT }), g.int64('axis2', [2])], {}, 'frame_mask');
}

/** Dim `axis` of `x` as a 0-d int64 value. */
export function dimNodes(g: GraphBuilder, x: string, axis: number, base: string): string {
  return g.op('Gather', [g.op('Shape', [x]), g.int64(`${base}_axis`, [axis], [])], { axis: 0 }, base);
}
