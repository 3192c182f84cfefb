/** Loading what a recogniser thread needs: the model directory (CTC or RNN-T) and, optionally, an ARPA LM with its beam search. */
import { basename } from 'node:path';
import type { Decoder } from '../decode/decoder.js';
import { decoderFor } from '../recognizer/beam-decoder.js';
import { bundledModelDir } from '../recognizer/default-model.js';
import { Recognizer } from '../recognizer/recognizer.js';

/** How to load the recogniser. */
export interface RecognizerSetup {
  /** Model directory; default the bundled English model. */
  modelDir?: string;
  /** ARPA language model (optionally gzipped): decode by prefix beam search with it. */
  lm?: string;
  /** LM weight and word bonus (the beam search's alpha and beta). */
  alpha?: number;
  beta?: number;
  beamWidth?: number;
}

export interface LoadedRecognizer {
  rec: Recognizer;
  name: string;
  /** The beam search (CTC prefix or RNN-T), when the setup asks for one; else greedy. */
  decoder?: Decoder;
}

export function loadRecognizer(setup: RecognizerSetup): LoadedRecognizer {
  const dir = setup.modelDir ?? bundledModelDir();
  const rec = Recognizer.load(dir);
  const name = basename(dir.replace(/[\\/]+$/, '')) || 'model';
  const decoder = decoderFor(rec, setup);
  return { rec, name, ...(decoder ? { decoder } : {}) };
}
