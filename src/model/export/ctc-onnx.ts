/** A CTC model (CtcModel) as one ONNX graph: features x [N, T, F], x_lens [N] -> logits [N, T', C], logit_lens [N]. */
import type { CtcModel } from '../ctc-model.js';
import { GraphBuilder } from './onnx-graph.js';
import { acousticEncoderNodes } from './onnx-encoder.js';
import { linearNodes } from './onnx-layers.js';
import { type OnnxModel, OnnxType } from './onnx-proto.js';

/**
 * The graph of `model`: the same logits as CtcModel.forward (zero at padded frames), batch
 * first. x holds normalised features (the front end and CMVN stay outside).
 */
export function ctcOnnxModel(model: CtcModel, producerVersion: string, metadata: Record<string, string> = {}): OnnxModel {
  const c = model.config;
  const g = new GraphBuilder();
  const x = g.input('x'), xLens = g.input('x_lens');
  const enc = acousticEncoderNodes(g, model.params, 'lstm.', c, x, xLens);
  const logits = g.op('Mul', [linearNodes(g, model.params, 'fc.', enc.hidden), enc.mask], {}, 'logits_tnc');
  g.output(g.op('Transpose', [logits], { perm: [1, 0, 2] }), 'logits');
  g.output(enc.lengths, 'logit_lens');
  return {
    opset: 17, producerVersion,
    metadata: { model_type: 'sayre_ctc', vocab_size: String(c.numClasses), blank_id: String(c.blank), frame_stride: String(c.frameStride), ...metadata },
    graph: g.graph('sayre_ctc', [
      { name: 'x', type: OnnxType.FLOAT, dims: ['N', 'T', c.inputDim] },
      { name: 'x_lens', type: OnnxType.INT64, dims: ['N'] },
    ], [
      { name: 'logits', type: OnnxType.FLOAT, dims: ['N', 'T_out', c.numClasses] },
      { name: 'logit_lens', type: OnnxType.INT64, dims: ['N'] },
    ]),
  };
}
