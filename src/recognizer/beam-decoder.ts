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
import { lmUnitOf } from '../decode/lm/lm-unit.js';
import { isFoldedLm } from '../decode/lm/fold-word.js';
import type { ModelLm } from '../model/io/model-lm.js';

/** What {@link decoderFor} needs of a recogniser: its directory's LM and its decoder factory. */
export interface DecoderSource {
  loaded: { lm?: ModelLm };
  decoder(config: DecoderConfig): Decoder;
}

/** What a beam-search decoder for a recogniser is built from. */
export interface BeamDecoderSetup {
  /**
   * ARPA language model (optionally gzipped; word or character n-gram, told apart by its
   * vocabulary); false: none, not even the model directory's own (`--no-lm`); undefined:
   * the model directory's own LM (and the word LM beside it) if it has one.
   */
  lm?: string | false;
  /** LM weight and word bonus (the decoder's defaults where unset: 0.5 and 1). */
  alpha?: number;
  beta?: number;
  /** CTC: bonus per label (the decoder's default where unset: 0). */
  labelBonus?: number;
  /** Beam width (CTC default 32, RNN-T default DEFAULT_RNNT_BEAM). */
  beamWidth?: number;
  /** Hotwords file: one word or phrase a line, optionally a tab (or `:`) and its weight. */
  hotwords?: string;
  /** RNN-T models: which beam search (default 'modified'). */
  rnntSearch?: RnntSearch;
  /** Alternatives per utterance (Transcript.alternatives when above 1). Default 1. */
  nBest?: number;
}

/**
 * The decoder config of `setup`, its files read; `lm` is loaded here unless given already
 * loaded. Without an LM in `setup` (and not `lm: false`), the model directory's own LM
 * (`own`) decodes, with its weights and beam unless `setup` gives others.
 */
export function decoderConfigOf(setup: BeamDecoderSetup, lm: LanguageModel | undefined = typeof setup.lm === 'string' ? readArpa(checkBeam(setup).lm as string) : undefined, own?: ModelLm): DecoderConfig {
  checkBeam(setup);
  const useOwn = setup.lm === undefined && !lm && own !== undefined;
  if ((setup.alpha !== undefined || setup.beta !== undefined) && !lm && !useOwn) throw new Error('--alpha and --beta need --lm (or a model directory with its own LM)');
  if (setup.labelBonus !== undefined && !lm && !useOwn) throw new Error('--label-bonus needs --lm (or a model directory with its own LM)');
  const chosen = lm ?? (useOwn ? own.load() : undefined);
  const unit = useOwn ? { unit: own.config.unit, delimiter: own.config.delimiter } : chosen ? lmUnitOf(chosen) : undefined;
  const labelBonus = setup.labelBonus ?? (useOwn ? own.config.labelBonus : undefined);
  // The directory's word LM beside its character LM decodes only with the directory's own LM.
  const wordLm = useOwn ? own.loadWord() : undefined;
  const ctc = {
    ...(unit?.unit === 'char' ? { lmUnit: 'char' as const, charLmDelimiter: unit.delimiter ?? '|' } : {}),
    ...(labelBonus !== undefined ? { labelBonus } : {}),
    ...(useOwn && own.config.unkScore !== undefined ? { unkScore: own.config.unkScore } : {}),
    ...(wordLm ? { wordLm, wordLmAlpha: own!.config.wordLm!.alpha, wordLmFolded: isFoldedLm(wordLm) } : {}),
  };
  return {
    lm: chosen, alpha: setup.alpha ?? (useOwn ? own.config.alpha : undefined), beta: setup.beta ?? (useOwn ? own.config.beta : undefined),
    beamWidth: setup.beamWidth ?? (useOwn ? own.config.beamWidth : undefined), rnntSearch: setup.rnntSearch, nBest: setup.nBest,
    hotwords: setup.hotwords ? parseHotwords(readFileBounded(setup.hotwords, 'hotwords file').toString('utf8')) : undefined,
    ...(Object.keys(ctc).length > 0 ? { ctc } : {}),
  };
}

/**
 * How `rec` decodes under `setup`: undefined (best path / greedy) when `setup` asks for no
 * beam search, else the CTC prefix beam search or the RNN-T beam search, whichever the
 * model's output takes. Without an LM in `setup` (and not `lm: false`), the model
 * directory's own LM decodes. Throws on options that do not go together.
 */
export function decoderFor(rec: DecoderSource, setup: BeamDecoderSetup): Decoder | undefined {
  checkBeam(setup);
  const config = decoderConfigOf(setup, undefined, rec.loaded.lm);
  return wantsBeamSearch(config) ? rec.decoder(config) : undefined;
}

/** Refuses a beam or n-best past the maxBeam limit before anything is built (a beam of 1e9 would exhaust memory, not fail); returns `setup`. */
function checkBeam(setup: BeamDecoderSetup): BeamDecoderSetup {
  checkLimit('decoder', 'maxBeam', Math.max(setup.beamWidth ?? 1, setup.nBest ?? 1), '--beam / --nbest');
  return setup;
}
