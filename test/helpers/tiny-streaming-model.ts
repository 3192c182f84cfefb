/** Small random streaming model directories for stream tests: noise transcripts, but deterministic and not empty. */
import type { CtcModelConfig } from '../../src/model/config.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { writeTinyModelDir } from './tiny-model.js';

/** What makes an encoder stream: unidirectional LSTM layers (the default of the helpers below) or latency-controlled BiLSTM layers. */
export type StreamingEncoder = Pick<CtcModelConfig, 'bidirectional' | 'latencyControl'>;
export const UNIDIRECTIONAL: StreamingEncoder = { bidirectional: false };
/** Chunks of 3 output frames with 2 frames of right context. */
export const LATENCY_CONTROLLED: StreamingEncoder = { bidirectional: true, latencyControl: { chunk: 3, rightContext: 2 } };

/** A streaming CTC model: 2 layers, frame stacking 3 with stride 2 (a look-ahead of one input frame). */
export function makeTinyStreamingCtcDir(name = 'stream-ctc', encoder = UNIDIRECTIONAL): string {
  return writeTinyModelDir(name, (tokenizer) =>
    new CtcModel({ inputDim: 20, hiddenSize: 16, numLayers: 2, numClasses: tokenizer.size, ...encoder, frameStack: 3, frameStride: 2 }, { seed: 3 }));
}

/** A streaming RNN-T model: 1 layer, frame stacking and stride 2. */
export function makeTinyStreamingRnntDir(name = 'stream-rnnt', encoder = UNIDIRECTIONAL): string {
  return writeTinyModelDir(name, (tokenizer) => {
    const m = new RnntModel({
      type: 'rnnt', inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, ...encoder, frameStack: 2, frameStride: 2,
      predEmbedDim: 8, predHiddenSize: 16, jointDim: 16,
    }, { seed: 5 });
    // Random weights give a near-constant encoder output: louder input and encoder weights, a
    // quieter prediction network, and blank's bias near the tie make it emit at some frames only.
    for (const [param, f] of [['lstm.weight_ih_l0', 4], ['joint.enc.weight', 4], ['joint.pred.weight', 0.1]] as const) {
      const w = m.params.value(param);
      for (let i = 0; i < w.length; i++) w[i]! *= f;
    }
    m.out.bias![tokenizer.blank]! += 1.3;
    return m;
  });
}
