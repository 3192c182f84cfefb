/**
 * The acoustic encoder (frame stacking and subsampling, then the (Bi)LSTM stack) as ONNX
 * nodes, batch-major at its input as sherpa-onnx's models are: x [N, T, F] float with
 * x_lens [N] int64 real frames each.
 */
import type { Parameters } from '../../nn/parameters.js';
import { type AcousticEncoderConfig, encoderLstmConfig } from '../acoustic-encoder.js';
import type { GraphBuilder } from './onnx-graph.js';
import { dimNodes, frameMaskNodes, lstmStackNodes } from './onnx-layers.js';
import { OnnxType } from './onnx-proto.js';

/** The encoder's outputs: hidden [T', N, D*H] time-major, lengths int64 [N], and the frame mask [T', N, 1]. */
export interface EncoderNodes {
  hidden: string;
  lengths: string;
  mask: string;
}

/**
 * Frames past each sequence's length are zeroed first (sayre never reads them), so the
 * stacked frame that straddles a sequence's end sees zeros, as in frame-stacking.ts.
 */
export function acousticEncoderNodes(g: GraphBuilder, params: Parameters, prefix: string, c: AcousticEncoderConfig, x: string, xLens: string): EncoderNodes {
  // ONNX's LSTM runs each direction over the whole sequence; the per-chunk reverse direction would need a loop of its own.
  if (c.latencyControl) {
    throw new Error('ONNX export: a latency-controlled encoder ("latencyControl") cannot be exported yet (ONNX\'s LSTM node has no per-chunk reverse direction); export a model without it');
  }
  const xt = g.op('Transpose', [x], { perm: [1, 0, 2] }, 'x_tnf');
  const T = dimNodes(g, x, 1, 'frames');
  let frames = g.op('Mul', [xt, frameMaskNodes(g, T, xLens)], {}, 'x_masked');
  let T2 = T, lengths = xLens;
  if (c.frameStack > 1 || c.frameStride > 1) {
    const stride = g.int64('stride', [c.frameStride], []), strideLess1 = g.int64('stride_minus_1', [c.frameStride - 1], []);
    T2 = g.op('Div', [g.op('Add', [T, strideLess1]), stride], {}, 'stacked_frames');
    lengths = g.op('Div', [g.op('Add', [xLens, strideLess1]), stride], {}, 'stacked_lens');
    // Output frame j reads input frames j*stride + i: pad the end so that every slice has T' frames.
    const pad = c.frameStack - 1 + c.frameStride;
    const padded = g.op('Pad', [frames, g.int64('time_pads', [0, 0, 0, pad, 0, 0])], { mode: 'constant' }, 'x_padded');
    const end = g.op('Mul', [g.op('Unsqueeze', [T2, g.int64('axis0', [0])]), g.int64('stride_1d', [c.frameStride])], {}, 'stacked_span');
    const parts: string[] = [];
    for (let i = 0; i < c.frameStack; i++) {
      const start = g.int64(`start${i}`, [i]);
      parts.push(g.op('Slice', [padded, start, g.op('Add', [end, start]), g.int64('slice_axis0', [0]), g.int64('slice_step', [c.frameStride])], {}, `stack${i}`));
    }
    frames = parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: 2 }, 'x_stacked');
  }
  const mask = T2 === T ? frameMaskNodes(g, T, xLens) : frameMaskNodes(g, T2, lengths);
  const seqLens = g.op('Cast', [lengths], { to: OnnxType.INT32 }, 'seq_lens');
  const { y } = lstmStackNodes(g, params, prefix, encoderLstmConfig(c), frames, seqLens);
  return { hidden: y, lengths, mask };
}
