/** A small random RNN-T model directory for recogniser and CLI tests (its transcripts are noise, but deterministic). */
import { RnntModel } from '../../src/model/transducer-model.js';
import { writeTinyModelDir } from './tiny-model.js';

export { SAMPLES } from './tiny-model.js';

/**
 * Writes a 1-layer BiLSTM transducer (hidden 16, joint 16, 20 mel bins, stride 2) with CMVN
 * over a sample; blank's output bias is raised so that it emits a label every few frames
 * rather than at every step. Returns its directory.
 */
export function makeTinyRnntModelDir(name = 'tiny-rnnt', seed = 7): string {
  return writeTinyModelDir(name, (tokenizer) => {
    const model = new RnntModel({
      type: 'rnnt', inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2,
      predEmbedDim: 8, predHiddenSize: 16, jointDim: 16,
    }, { seed });
    model.out.bias![tokenizer.blank]! += 2.5;
    return model;
  });
}
