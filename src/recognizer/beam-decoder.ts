/**
 * Building a recogniser's decoder from the flags of `sayre transcribe`, `eval` and `serve`
 * (and the same options from library code), for either kind of model: the CTC prefix beam
 * search with an ARPA word LM and hotwords, or an RNN-T beam search (modified or Graves's)
 * with the same LM and hotwords by shallow fusion. The one place where decoders are built.
 */
import { readFileSync } from 'node:fs';
import { type Hotword, parseHotwords } from '../decode/hotwords.js';
import { readArpa } from '../decode/lm/arpa-reader.js';
import type { LanguageModel } from '../decode/lm/language-model.js';
import { CtcBeamSearchDecoder, type CtcBeamSearchOptions } from '../decode/prefix-beam-search.js';
import { wordFusion } from '../decode/rnnt-word-fusion.js';
import type { TransducerDecodeOptions } from '../model/transducer-evaluate.js';
import { RnntModel } from '../model/transducer-model.js';
import type { DecodeOptions, Recognizer } from './recognizer.js';
import { tokenizerLabels } from '../data/char-tokenizer.js';

/** The RNN-T beam searches: k2's one-label-per-frame "modified" search, or Graves (2012)'s. */
export type RnntSearch = 'modified' | 'graves';

/** The RNN-T beam width when none is given (the CTC decoder's own default is 32). */
export const DEFAULT_RNNT_BEAM = 8;

/** What a beam-search decoder for a recogniser is built from. */
export interface BeamDecoderSetup {
  /** ARPA language model (optionally gzipped). */
  lm?: string;
  /** LM weight and word bonus (the decoder's defaults where unset: 0.5 and 1). */
  alpha?: number;
  beta?: number;
  /** Beam width (CTC default 32, RNN-T default {@link DEFAULT_RNNT_BEAM}). */
  beamWidth?: number;
  /** Hotwords file: one word or phrase a line, optionally a tab (or `:`) and its weight. */
  hotwords?: string;
  /** RNN-T models: which beam search (default 'modified'). */
  rnntSearch?: RnntSearch;
  /** Alternatives per utterance (Transcript.alternatives when above 1). Default 1. */
  nBest?: number;
}

/** True when `setup` asks for beam search (an LM, hotwords, a beam width, an RNN-T search or an n-best list). */
export function wantsBeamSearch(setup: BeamDecoderSetup): boolean {
  return Boolean(setup.lm || setup.hotwords || setup.beamWidth !== undefined || setup.rnntSearch || (setup.nBest ?? 1) > 1);
}

/** The beam-search options for `rec`'s CTC labels; `lm` is loaded here unless given already loaded. */
export function beamDecoderOptions(rec: Recognizer, setup: BeamDecoderSetup, lm = setup.lm ? readArpa(setup.lm) : undefined): CtcBeamSearchOptions {
  return {
    blank: rec.loaded.tokenizer.blank, lm, alpha: setup.alpha, beta: setup.beta, beamWidth: setup.beamWidth,
    hotwords: readHotwords(setup), nBest: setup.nBest,
  };
}

/** A prefix beam-search decoder for `rec`'s CTC output, with the LM and hotwords of `setup`. */
export function beamDecoderFor(rec: Recognizer, setup: BeamDecoderSetup): CtcBeamSearchDecoder {
  if (rec.loaded.model instanceof RnntModel) throw new Error(`${rec.loaded.dir}: an RNN-T model has no CTC output for the prefix beam search (use decoderOptionsFor)`);
  return new CtcBeamSearchDecoder(tokenizerLabels(rec.loaded.tokenizer), beamDecoderOptions(rec, setup));
}

/**
 * The RNN-T decoding options of `setup` for `rec`'s labels: a beam search, with the word
 * LM, word bonus and hotwords fused in (scored as the CTC decoder scores them); `lm` is
 * loaded here unless given already loaded.
 */
export function transducerDecoderOptions(rec: Recognizer, setup: BeamDecoderSetup, lm: LanguageModel | undefined = setup.lm ? readArpa(setup.lm) : undefined): TransducerDecodeOptions {
  const search = setup.rnntSearch ?? 'modified';
  if (search !== 'modified' && search !== 'graves') throw new Error(`RNN-T search must be 'modified' or 'graves', got '${String(search)}'`);
  const hotwords = readHotwords(setup);
  return {
    method: search === 'graves' ? 'beam' : 'modified-beam',
    beam: setup.beamWidth ?? DEFAULT_RNNT_BEAM,
    nBest: setup.nBest,
    lm: lm || hotwords ? wordFusion(tokenizerLabels(rec.loaded.tokenizer), { blank: rec.loaded.tokenizer.blank, lm, alpha: setup.alpha, beta: setup.beta, hotwords }) : undefined,
  };
}

/**
 * How `rec` decodes under `setup`, for {@link Recognizer.transcribe} and friends: best
 * path / greedy when `setup` asks for no beam search, else the CTC prefix beam search or
 * the RNN-T beam search, whichever the model takes. Throws on options that do not apply.
 */
export function decoderOptionsFor(rec: Recognizer, setup: BeamDecoderSetup): Pick<DecodeOptions, 'beam' | 'transducer'> {
  if ((setup.alpha !== undefined || setup.beta !== undefined) && !setup.lm) throw new Error('--alpha and --beta need --lm');
  if (!wantsBeamSearch(setup)) return {};
  if (rec.loaded.model instanceof RnntModel) return { transducer: transducerDecoderOptions(rec, setup) };
  if (setup.rnntSearch) throw new Error(`${rec.loaded.dir}: --rnnt-search applies to RNN-T models; this is a CTC model`);
  return { beam: beamDecoderFor(rec, setup) };
}

function readHotwords(setup: BeamDecoderSetup): Hotword[] | undefined {
  return setup.hotwords ? parseHotwords(readFileSync(setup.hotwords, 'utf8')) : undefined;
}
