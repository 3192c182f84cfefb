/** A small random model directory for server and browser tests (its transcripts are noise, but deterministic). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmvnAccumulator } from '../../src/audio/cmvn.js';
import { readWav } from '../../src/audio/wav-read.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { computeFeatures, type FrontEndConfig } from '../../src/recognizer/front-end.js';
import { saveModelDir } from '../../src/recognizer/model-dir.js';

/** The package's samples/ folder (tests run from dist/test/server/). */
export const SAMPLES = new URL('../../../samples/', import.meta.url);

/** Writes a 1-layer BiLSTM (hidden 16, 20 mel bins, stride 2) with CMVN over a sample; returns its directory. */
export function makeTinyModelDir(name = 'tiny'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sayre-serve-')), name);
  const front: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 20 } };
  const tokenizer = new CharTokenizer();
  const acc = new CmvnAccumulator(20);
  const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
  acc.accumulate(computeFeatures(wav.samples, wav.sampleRate, front));
  const model = new CtcModel({ inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2 }, { seed: 7 });
  saveModelDir(dir, { model, tokenizer, frontEnd: front, cmvn: acc.finalise() });
  return dir;
}
