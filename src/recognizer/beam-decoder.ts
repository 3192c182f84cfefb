/** Building the prefix beam search (with an ARPA LM and hotwords) for a recogniser's model: shared by the CLI and the server. */
import { readFileSync } from 'node:fs';
import { parseHotwords } from '../decode/hotwords.js';
import { readArpa } from '../decode/lm/arpa-reader.js';
import { CtcBeamSearchDecoder, type CtcBeamSearchOptions } from '../decode/prefix-beam-search.js';
import type { Recognizer } from './recognizer.js';
import { tokenizerLabels } from './recognizer.js';

/** What a beam-search decoder for a recogniser is built from. */
export interface BeamDecoderSetup {
  /** ARPA language model (optionally gzipped). */
  lm?: string;
  /** LM weight and word bonus (the decoder's defaults where unset: 0.5 and 1). */
  alpha?: number;
  beta?: number;
  /** Beam width (decoder default 32). */
  beamWidth?: number;
  /** Hotwords file: one word or phrase a line, optionally a tab (or `:`) and its weight. */
  hotwords?: string;
}

/** True when `setup` asks for beam search (an LM or hotwords). */
export function wantsBeamSearch(setup: BeamDecoderSetup): boolean {
  return Boolean(setup.lm || setup.hotwords);
}

/** The beam-search options for `rec`'s CTC labels; `lm` is loaded here unless given already loaded. */
export function beamDecoderOptions(rec: Recognizer, setup: BeamDecoderSetup, lm = setup.lm ? readArpa(setup.lm) : undefined): CtcBeamSearchOptions {
  return {
    blank: rec.loaded.tokenizer.blank, lm, alpha: setup.alpha, beta: setup.beta, beamWidth: setup.beamWidth,
    hotwords: setup.hotwords ? parseHotwords(readFileSync(setup.hotwords, 'utf8')) : undefined,
  };
}

/** A prefix beam-search decoder for `rec`'s CTC output, with the LM and hotwords of `setup`. */
export function beamDecoderFor(rec: Recognizer, setup: BeamDecoderSetup): CtcBeamSearchDecoder {
  return new CtcBeamSearchDecoder(tokenizerLabels(rec.loaded.tokenizer), beamDecoderOptions(rec, setup));
}
