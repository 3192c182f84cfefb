/**
 * An RNN-T model (RnntModel) as sherpa-onnx's three transducer graphs:
 *   encoder: x [N, T, F], x_lens [N] -> encoder_out [N, T', J] (joint.enc applied), encoder_out_lens [N]
 *   decoder: y [N, 1] int64, h, c [L, N, H] -> decoder_out [N, J] (joint.pred applied), next_h, next_c
 *   joiner:  encoder_out [N, J], decoder_out [N, J] -> logit [N, V] = joint.out(tanh(enc + dec))
 * The decoder's LSTM state goes in and out explicitly; decoding starts from y = blank
 * (sayre's start symbol) and zero states.
 */
import type { RnntModel } from '../transducer-model.js';
import { GraphBuilder } from './onnx-graph.js';
import { acousticEncoderNodes } from './onnx-encoder.js';
import { linearNodes, lstmStackNodes } from './onnx-layers.js';
import { type OnnxModel, OnnxType } from './onnx-proto.js';

export function rnntOnnxModels(model: RnntModel, producerVersion: string, metadata: Record<string, string> = {}): { encoder: OnnxModel; decoder: OnnxModel; joiner: OnnxModel } {
  const c = model.config;
  const meta = {
    model_type: 'sayre_rnnt', vocab_size: String(c.numClasses), blank_id: String(c.blank), context_size: '1',
    pred_num_layers: String(c.predNumLayers), pred_hidden_size: String(c.predHiddenSize), joiner_dim: String(c.jointDim), ...metadata,
  };
  const wrap = (graph: OnnxModel['graph']): OnnxModel => ({ opset: 17, producerVersion, metadata: meta, graph });

  const e = new GraphBuilder();
  const enc = acousticEncoderNodes(e, model.params, 'lstm.', c, e.input('x'), e.input('x_lens'));
  const proj = e.op('Mul', [linearNodes(e, model.params, 'joint.enc.', enc.hidden), enc.mask], {}, 'encoder_out_tnj');
  e.output(e.op('Transpose', [proj], { perm: [1, 0, 2] }), 'encoder_out');
  e.output(enc.lengths, 'encoder_out_lens');
  const encoder = wrap(e.graph('sayre_rnnt_encoder', [
    { name: 'x', type: OnnxType.FLOAT, dims: ['N', 'T', c.inputDim] },
    { name: 'x_lens', type: OnnxType.INT64, dims: ['N'] },
  ], [
    { name: 'encoder_out', type: OnnxType.FLOAT, dims: ['N', 'T_out', c.jointDim] },
    { name: 'encoder_out_lens', type: OnnxType.INT64, dims: ['N'] },
  ]));

  const d = new GraphBuilder();
  const L = c.predNumLayers, H = c.predHiddenSize;
  const y = d.input('y'), h = d.input('h'), cc = d.input('c');
  const embed = d.float('pred_embed_weight', [c.numClasses, c.predEmbedDim], model.params.value('pred.embed.weight'));
  // y [N, 1] -> embeddings [N, 1, E] -> [1, N, E] (one time step)
  const x = d.op('Transpose', [d.op('Gather', [embed, y], { axis: 0 }, 'embedded')], { perm: [1, 0, 2] }, 'pred_input');
  const layerOf = (s: string, k: number): string => d.op('Slice', [s, d.int64(`l${k}_start`, [k]), d.int64(`l${k}_end`, [k + 1]), d.int64('layer_axis', [0])], {}, `${s}_l${k}`);
  const initial = { h: Array.from({ length: L }, (_, k) => layerOf(h, k)), c: Array.from({ length: L }, (_, k) => layerOf(cc, k)) };
  const cfg = { inputSize: c.predEmbedDim, hiddenSize: H, numLayers: L, bidirectional: false };
  const { y: out, final } = lstmStackNodes(d, model.params, 'pred.lstm.', cfg, x, '', initial);
  const top = d.op('Reshape', [out, d.int64('shape_n_h', [-1, H])], {}, 'pred_top');
  d.output(linearNodes(d, model.params, 'joint.pred.', top), 'decoder_out');
  d.output(L === 1 ? final.h[0]! : d.op('Concat', final.h, { axis: 0 }), 'next_h');
  d.output(L === 1 ? final.c[0]! : d.op('Concat', final.c, { axis: 0 }), 'next_c');
  const decoder = wrap(d.graph('sayre_rnnt_decoder', [
    { name: 'y', type: OnnxType.INT64, dims: ['N', 1] },
    { name: 'h', type: OnnxType.FLOAT, dims: [L, 'N', H] },
    { name: 'c', type: OnnxType.FLOAT, dims: [L, 'N', H] },
  ], [
    { name: 'decoder_out', type: OnnxType.FLOAT, dims: ['N', c.jointDim] },
    { name: 'next_h', type: OnnxType.FLOAT, dims: [L, 'N', H] },
    { name: 'next_c', type: OnnxType.FLOAT, dims: [L, 'N', H] },
  ]));

  const j = new GraphBuilder();
  const hidden = j.op('Tanh', [j.op('Add', [j.input('encoder_out'), j.input('decoder_out')])]);
  j.output(linearNodes(j, model.params, 'joint.out.', hidden), 'logit');
  const joiner = wrap(j.graph('sayre_rnnt_joiner', [
    { name: 'encoder_out', type: OnnxType.FLOAT, dims: ['N', c.jointDim] },
    { name: 'decoder_out', type: OnnxType.FLOAT, dims: ['N', c.jointDim] },
  ], [{ name: 'logit', type: OnnxType.FLOAT, dims: ['N', c.numClasses] }]));
  return { encoder, decoder, joiner };
}
