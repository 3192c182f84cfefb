/**
 * A recogniser's decoder from the flags of `sayre transcribe`, `eval` and `serve` (and the
 * same options from library code): file paths for the LM and hotwords, read here, then
 * {@link createDecoder}, whatever the model's kind.
 */
import { checkLimit } from '../util/limits.js';
import { readFileBounded } from '../util/read-bounded.js';
import { type DecoderConfig, type RnntSearch, wantsBeamSearch } from '../decode/decoder.js';
import type { Decoder } from '../decode/decoder.js';
import { parseHotwords } from '../decode/hotwords.js';
import { readArpa } from '../decode/lm/arpa-reader.js';
import type { LanguageModel } from '../decode/lm/language-model.js';
import type { Recognizer } from './recognizer.js';

/** What a beam-search decoder for a recogniser is built from. */
export interface BeamDecoderSetup {
  /** ARPA language model (optionally gzipped). */
  lm?: string;
  /** LM weight and word bonus (the decoder's defaults where unset: 0.5 and 1). */
  alpha?: number;
  beta?: number;
  /** Beam width (CTC default 32, RNN-T default DEFAULT_RNNT_BEAM). */
  beamWidth?: number;
  /** Hotwords file: one word or phrase a line, optionally a tab (or `:`) and its weight. */
  hotwords?: string;
  /** RNN-T models: which beam search (default 'modified'). */
  rnntSearch?: RnntSearch;
  /** Alternatives per utterance (Transcript.alternatives when above 1). Default 1. */
  nBest?: number;
}

/** The decoder config of `setup`, its files read; `lm` is loaded here unless given already loaded. */
export function decoderConfigOf(setup: BeamDecoderSetup, lm: LanguageModel | undefined = setup.lm ? readArpa(checkBeam(setup).lm!) : undefined): DecoderConfig {
  checkBeam(setup);
  if ((setup.alpha !== undefined || setup.beta !== undefined) && !setup.lm && !lm) throw new Error('--alpha and --beta need --lm');
  return {
    lm, alpha: setup.alpha, beta: setup.beta, beamWidth: setup.beamWidth, rnntSearch: setup.rnntSearch, nBest: setup.nBest,
    hotwords: setup.hotwords ? parseHotwords(readFileBounded(setup.hotwords, 'hotwords file').toString('utf8')) : undefined,
  };
}

/**
 * How `rec` decodes under `setup`: undefined (best path / greedy) when `setup` asks for no
 * beam search, else the CTC prefix beam search or the RNN-T beam search, whichever the
 * model's output takes. Throws on options that do not go together.
 */
export function decoderFor(rec: Recognizer, setup: BeamDecoderSetup): Decoder | undefined {
  checkBeam(setup);
  const config = decoderConfigOf(setup);
  return wantsBeamSearch(config) ? rec.decoder(config) : undefined;
}

/** Refuses a beam or n-best past the maxBeam limit before anything is built (a beam of 1e9 would exhaust memory, not fail); returns `setup`. */
function checkBeam(setup: BeamDecoderSetup): BeamDecoderSetup {
  checkLimit('decoder', 'maxBeam', Math.max(setup.beamWidth ?? 1, setup.nBest ?? 1), '--beam / --nbest');
  return setup;
}
