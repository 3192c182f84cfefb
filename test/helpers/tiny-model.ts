/** Small random speech model directories for server, browser and recogniser tests (their transcripts are noise, but deterministic). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmvnAccumulator } from '../../src/audio/cmvn.js';
import { readWav } from '../../src/audio/wav-read.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import type { RnntModel } from '../../src/model/transducer-model.js';
import { computeFeatures, frontEndDim, type FrontEndConfig } from '../../src/audio/front-end.js';
import { saveModelDir } from '../../src/model/io/model-dir.js';

/** The package's samples/ folder (tests run from dist/test/<area>/). */
export const SAMPLES = new URL('../../../samples/', import.meta.url);

/**
 * Writes the model `make` builds for the character tokenizer with `front` (default 20 mel
 * bins) and CMVN over a sample into a fresh directory named `name`; returns the directory.
 */
export function writeTinyModelDir(name: string, make: (tokenizer: CharTokenizer) => CtcModel | RnntModel, front: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 20 } }): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sayre-tiny-')), name);
  const tokenizer = new CharTokenizer();
  const acc = new CmvnAccumulator(frontEndDim(front));
  const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
  acc.accumulate(computeFeatures(wav.samples, wav.sampleRate, front));
  saveModelDir(dir, { model: make(tokenizer), tokenizer, frontEnd: front, cmvn: acc.finalise() });
  return dir;
}

/** Writes a 1-layer BiLSTM CTC model (hidden 16, 20 mel bins, stride 2); returns its directory. */
export function makeTinyModelDir(name = 'tiny'): string {
  return writeTinyModelDir(name, (tokenizer) =>
    new CtcModel({ inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2 }, { seed: 7 }));
}
