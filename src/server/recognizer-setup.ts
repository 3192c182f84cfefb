/** Loading what a recogniser thread needs: the model directory and, optionally, an ARPA LM with its beam search. */
import { basename } from 'node:path';
import type { CtcBeamSearchDecoder } from '../decode/prefix-beam-search.js';
import { decoderOptionsFor } from '../recognizer/beam-decoder.js';
import { bundledModelDir } from '../recognizer/default-model.js';
import { Recognizer } from '../recognizer/recognizer.js';
import { RnntModel } from '../model/transducer-model.js';

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
  beam?: CtcBeamSearchDecoder;
}

export function loadRecognizer(setup: RecognizerSetup): LoadedRecognizer {
  const dir = setup.modelDir ?? bundledModelDir();
  const rec = Recognizer.load(dir);
  // The service decodes CTC output matrices; a transducer has none (sayre transcribe and eval decode it).
  if (rec.loaded.model instanceof RnntModel) throw new Error(`${dir}: an RNN-T model; sayre serve takes CTC models only (use sayre transcribe or eval)`);
  const name = basename(dir.replace(/[\\/]+$/, '')) || 'model';
  return { rec, name, beam: decoderOptionsFor(rec, setup).beam };
}
