/** Loading what a recogniser thread needs: the model directory (CTC or RNN-T) and, optionally, an ARPA LM with its beam search. */
import { basename } from 'node:path';
import type { CtcBeamSearchDecoder } from '../decode/prefix-beam-search.js';
import { decoderOptionsFor } from '../recognizer/beam-decoder.js';
import { bundledModelDir } from '../recognizer/default-model.js';
import { Recognizer } from '../recognizer/recognizer.js';
import type { TransducerDecodeOptions } from '../model/transducer-evaluate.js';

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
  /** CTC models: the prefix beam search, when the setup asks for one. */
  beam?: CtcBeamSearchDecoder;
  /** RNN-T models: the beam search's options, when the setup asks for one. */
  transducer?: TransducerDecodeOptions;
}

export function loadRecognizer(setup: RecognizerSetup): LoadedRecognizer {
  const dir = setup.modelDir ?? bundledModelDir();
  const rec = Recognizer.load(dir);
  const name = basename(dir.replace(/[\\/]+$/, '')) || 'model';
  return { rec, name, ...decoderOptionsFor(rec, setup) };
}
