/** A small random RNN-T model directory for recogniser and CLI tests (its transcripts are noise, but deterministic). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmvnAccumulator } from '../../src/audio/cmvn.js';
import { readWav } from '../../src/audio/wav-read.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { computeFeatures, type FrontEndConfig } from '../../src/recognizer/front-end.js';
import { saveModelDir } from '../../src/recognizer/model-dir.js';

/** The package's samples/ folder (tests run from dist/test/rnnt/). */
export const SAMPLES = new URL('../../../samples/', import.meta.url);

/**
 * Writes a 1-layer BiLSTM transducer (hidden 16, joint 16, 20 mel bins, stride 2) with CMVN
 * over a sample; blank's output bias is raised so that it emits a label every few frames
 * rather than at every step. Returns its directory.
 */
export function makeTinyRnntModelDir(name = 'tiny-rnnt', seed = 7): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sayre-rnnt-')), name);
  const front: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 20 } };
  const tokenizer = new CharTokenizer();
  const acc = new CmvnAccumulator(20);
  const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
  acc.accumulate(computeFeatures(wav.samples, wav.sampleRate, front));
  const model = new RnntModel({
    type: 'rnnt', inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2,
    predEmbedDim: 8, predHiddenSize: 16, jointDim: 16,
  }, { seed });
  model.out.bias![tokenizer.blank] += 2.5;
  saveModelDir(dir, { model, tokenizer, frontEnd: front, cmvn: acc.finalise() });
  return dir;
}
