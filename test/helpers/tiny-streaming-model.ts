/** Small random streaming (unidirectional) model directories for stream tests: noise transcripts, but deterministic and not empty. */
import { CtcModel } from '../../src/model/ctc-model.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { writeTinyModelDir } from './tiny-model.js';

/** A streaming CTC model: 2 unidirectional layers, frame stacking 3 with stride 2 (a look-ahead of one input frame). */
export function makeTinyStreamingCtcDir(name = 'stream-ctc'): string {
  return writeTinyModelDir(name, (tokenizer) =>
    new CtcModel({ inputDim: 20, hiddenSize: 16, numLayers: 2, numClasses: tokenizer.size, bidirectional: false, frameStack: 3, frameStride: 2 }, { seed: 3 }));
}

/** A streaming RNN-T model: 1 unidirectional layer, frame stacking and stride 2. */
export function makeTinyStreamingRnntDir(name = 'stream-rnnt'): string {
  return writeTinyModelDir(name, (tokenizer) => {
    const m = new RnntModel({
      type: 'rnnt', inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, bidirectional: false, frameStack: 2, frameStride: 2,
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
