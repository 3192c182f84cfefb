/** Loading what a recogniser thread needs: the model directory (CTC or RNN-T) and how it decodes (its own LM by default). */
import { basename } from 'node:path';
import type { Decoder } from '../decode/decoder.js';
import { decoderFor } from '../recognizer/beam-decoder.js';
import { bundledModelDir } from '../recognizer/default-model.js';
import { Recognizer } from '../recognizer/recognizer.js';

/** How to load the recogniser. */
export interface RecognizerSetup {
  /** Model directory; default the bundled English model. */
  modelDir?: string;
  /** ARPA language model (optionally gzipped): decode by beam search with it; false: none, not even the model directory's own (best path); default: the directory's own, if any. */
  lm?: string | false;
  /** LM weight and word bonus (the beam search's alpha and beta). */
  alpha?: number;
  beta?: number;
  /** Bonus per label (CTC beam search); default the directory's LM entry's, else 0. */
  labelBonus?: number;
  beamWidth?: number;
}

export interface LoadedRecognizer {
  rec: Recognizer;
  name: string;
  /** The beam search (CTC prefix or RNN-T) when the setup or the model directory's LM asks for one; else greedy. */
  decoder: Decoder;
}

export function loadRecognizer(setup: RecognizerSetup): LoadedRecognizer {
  const dir = setup.modelDir ?? bundledModelDir();
  const rec = Recognizer.load(dir);
  const name = basename(dir.replace(/[\\/]+$/, '')) || 'model';
  return { rec, name, decoder: decoderFor(rec, setup) ?? rec.decoder() };
}
