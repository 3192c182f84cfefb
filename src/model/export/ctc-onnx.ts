/**
 * A CTC model (CtcModel) as ONNX graphs:
 *   features in:  x [N, T, F] float, x_lens [N] int64 -> logits [N, T', C], logit_lens [N]
 *   samples in:   samples [N, S] float in [-1, 1) at the model's rate, samples_lens [N]
 *                 -> the same outputs, with the front end (filterbank, CMVN) inside
 * The logits are CtcModel.forward's (zero at padded frames), batch first.
 */
import type { CmvnJson } from '../../audio/cmvn.js';
import type { FrontEndConfig } from '../../audio/front-end.js';
import type { CtcModel } from '../ctc-model.js';
import { GraphBuilder } from './onnx-graph.js';
import { acousticEncoderNodes } from './onnx-encoder.js';
import { frontEndNodes } from './onnx-front-end.js';
import { linearNodes } from './onnx-layers.js';
import { type OnnxModel, OnnxType, type OnnxValueInfo } from './onnx-proto.js';

/** The speech front end a model directory stores, with its CMVN statistics. */
export interface OnnxFrontEnd extends FrontEndConfig {
  cmvn: CmvnJson;
}

function ctcModel(model: CtcModel, g: GraphBuilder, x: string, xLens: string, inputs: OnnxValueInfo[], name: string, producerVersion: string, metadata: Record<string, string>): OnnxModel {
  const c = model.config;
  const enc = acousticEncoderNodes(g, model.params, 'lstm.', c, x, xLens);
  const logits = g.op('Mul', [linearNodes(g, model.params, 'fc.', enc.hidden), enc.mask], {}, 'logits_tnc');
  g.output(g.op('Transpose', [logits], { perm: [1, 0, 2] }), 'logits');
  g.output(enc.lengths, 'logit_lens');
  return {
    opset: 17, producerVersion,
    metadata: { model_type: 'sayre_ctc', vocab_size: String(c.numClasses), blank_id: String(c.blank), frame_stride: String(c.frameStride), ...metadata },
    graph: g.graph(name, inputs, [
      { name: 'logits', type: OnnxType.FLOAT, dims: ['N', 'T_out', c.numClasses] },
      { name: 'logit_lens', type: OnnxType.INT64, dims: ['N'] },
    ]),
  };
}

/** The features-in graph: x holds normalised features (the front end and CMVN stay outside). */
export function ctcOnnxModel(model: CtcModel, producerVersion: string, metadata: Record<string, string> = {}): OnnxModel {
  const g = new GraphBuilder();
  return ctcModel(model, g, g.input('x'), g.input('x_lens'), [
    { name: 'x', type: OnnxType.FLOAT, dims: ['N', 'T', model.config.inputDim] },
    { name: 'x_lens', type: OnnxType.INT64, dims: ['N'] },
  ], 'sayre_ctc', producerVersion, metadata);
}

/** The samples-in graph: `frontEnd` (the model directory's, with its CMVN) runs inside. */
export function ctcOnnxModelFromSamples(model: CtcModel, frontEnd: OnnxFrontEnd, producerVersion: string, metadata: Record<string, string> = {}): OnnxModel {
  if (frontEnd.slidingCmvn || frontEnd.utteranceCmvn) throw new Error(`ONNX export: the samples-in graph has no ${frontEnd.slidingCmvn ? 'sliding-window' : 'per-utterance'} CMVN; export the features-in graph (model.onnx) instead`);
  const g = new GraphBuilder();
  const fe = frontEndNodes(g, frontEnd.sampleRate, frontEnd.fbank, frontEnd.cmvn, g.input('samples'), g.input('samples_lens'));
  return ctcModel(model, g, fe.features, fe.lengths, [
    { name: 'samples', type: OnnxType.FLOAT, dims: ['N', 'S'] },
    { name: 'samples_lens', type: OnnxType.INT64, dims: ['N'] },
  ], 'sayre_ctc_from_samples', producerVersion, { sample_rate: String(frontEnd.sampleRate), ...metadata });
}
