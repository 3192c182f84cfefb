/**
 * One decoder interface and one factory for every model kind: greedy (CTC best path,
 * RNN-T greedy), the CTC prefix beam search with an n-gram LM and hotwords, and the RNN-T
 * beam searches (modified, Graves's) with the same LM and hotwords by shallow fusion. A
 * decoder reads whatever {@link AcousticOutput} the model gives, so callers need not know
 * the model's kind.
 *
 * ```ts
 * const decoder = createDecoder({ lm: readArpa('lm.arpa'), alpha: 0.7 }, labels);
 * const nbest = decoder.decode(model.decodable(x, shape, lengths));
 * ```
 */
import type { AcousticOutput, CtcOutput, OutputKind, TransducerOutput } from './acoustic-output.js';
import { BestPathStream, CtcBeamStream, type DecoderStream, TransducerStream, withPathConfidence, withWordConfidence } from './decoder-stream.js';
import { bestPaths } from './best-path.js';
import type { Hotword } from './hotwords.js';
import type { LanguageModel } from './lm/language-model.js';
import { CtcBeamSearchDecoder, type CtcBeamSearchOptions } from './prefix-beam-search.js';
import { type TransducerDecodeOptions, transducerDecodeMany } from './rnnt-decode.js';
import { wordFusion } from './rnnt-word-fusion.js';
import type { TimedHypothesis } from './transcript.js';

/** The RNN-T beam searches: k2's one-label-per-frame "modified" search, or Graves (2012)'s. */
export type RnntSearch = 'modified' | 'graves';

export { DEFAULT_RNNT_BEAM } from './rnnt-beam-common.js';

/** How to decode; flat, every field optional. */
export interface DecoderConfig {
  /**
   * 'greedy': best path (CTC) or greedy (RNN-T); 'beam': the prefix beam search (CTC) or
   * an RNN-T beam search. Default: 'beam' when any beam option below is set, else 'greedy'.
   */
  search?: 'greedy' | 'beam';
  /** Beam width (CTC default 32, RNN-T default {@link DEFAULT_RNNT_BEAM}). */
  beamWidth?: number;
  /** Hypotheses per utterance, best first (default 1); above 1 a transcript lists `alternatives`. */
  nBest?: number;
  /** Word language model, scored as ln P_acoustic + alpha ln P_lm + beta words. */
  lm?: LanguageModel;
  /** LM weight and word bonus (defaults 0.5 and 1). */
  alpha?: number;
  beta?: number;
  /** Words or phrases to boost. */
  hotwords?: readonly (Hotword | string)[];
  /** RNN-T models: which beam search (default 'modified'). */
  rnntSearch?: RnntSearch;
  /** RNN-T greedy decoding's and Graves's search's cap on labels per frame (default 10). */
  maxSymbolsPerFrame?: number;
  /** Further options of the CTC prefix beam search (see CtcBeamSearchOptions). */
  ctc?: Omit<CtcBeamSearchOptions, 'blank' | 'lm' | 'alpha' | 'beta' | 'beamWidth' | 'nBest' | 'hotwords'>;
}

/** Decodes batches of network output into n-best hypotheses. */
export interface Decoder {
  /** The search it runs. */
  readonly search: 'greedy' | 'beam';
  /** Hypotheses per utterance it returns (at most). */
  readonly nBest: number;
  /** The config it was made from. */
  readonly config: Readonly<DecoderConfig>;
  /** Each utterance's hypotheses, best first, in batch order; frames are output frames. */
  decode(output: AcousticOutput): TimedHypothesis[][];
  /**
   * A search over one utterance fed its output a chunk at a time (live audio), for the
   * model kind whose output it is first fed; any cut of the frames gives {@link decode}'s
   * result on the whole output.
   */
  createStream(kind: OutputKind): DecoderStream;
}

/** True when `config` asks for a beam search (an LM, hotwords, a beam width, an RNN-T search or an n-best list). */
export function wantsBeamSearch(config: DecoderConfig): boolean {
  return Boolean(config.lm || config.hotwords || config.beamWidth !== undefined || config.rnntSearch || (config.nBest ?? 1) > 1);
}

/**
 * A decoder for a model with output `labels` (blank's included, at `blank`, default 0).
 * Throws on options that contradict each other; options that apply to one kind of model
 * only throw when that decoder meets the other kind's output.
 */
export function createDecoder(config: DecoderConfig, labels: readonly string[], blank = 0): Decoder {
  const search = config.search ?? (wantsBeamSearch(config) ? 'beam' : 'greedy');
  if (search !== 'greedy' && search !== 'beam') throw new Error(`decoder: search must be 'greedy' or 'beam', got '${String(search)}'`);
  const rnntSearch = config.rnntSearch ?? 'modified';
  if (rnntSearch !== 'modified' && rnntSearch !== 'graves') throw new Error(`RNN-T search must be 'modified' or 'graves', got '${String(rnntSearch)}'`);
  if (search === 'greedy' && (config.lm || config.hotwords)) throw new Error('decoder: an LM or hotwords need a beam search, not greedy decoding');
  return new ConfiguredDecoder(config, search, labels, blank);
}

class ConfiguredDecoder implements Decoder {
  readonly nBest: number;
  private ctcBeam: CtcBeamSearchDecoder | undefined;
  private transducerOptions: TransducerDecodeOptions | undefined;

  constructor(readonly config: Readonly<DecoderConfig>, readonly search: 'greedy' | 'beam', private readonly labels: readonly string[], private readonly blank: number) {
    this.nBest = search === 'beam' ? config.nBest ?? 1 : 1;
  }

  decode(output: AcousticOutput): TimedHypothesis[][] {
    return output.kind === 'ctc' ? this.decodeCtc(output) : this.decodeTransducer(output);
  }

  private decodeCtc(y: CtcOutput): TimedHypothesis[][] {
    if (this.config.rnntSearch) throw new Error("decoder: rnntSearch applies to RNN-T models; this is a CTC model's output");
    if (this.search === 'greedy') return bestPaths(y.logits, y.shape, y.lengths, { blank: this.blank, labels: this.labels }).map((h) => [h]);
    // The beam search's own confidence is per label; a transcript's is its words' geometric mean.
    return this.ctcBeamSearch().decode(y.logits, y.shape, y.lengths).map((nbest) => nbest.map(withWordConfidence));
  }

  createStream(kind: OutputKind): DecoderStream {
    if (kind === 'transducer') return new TransducerStream(this.transducerDecodeOptions());
    if (this.config.rnntSearch) throw new Error("decoder: rnntSearch applies to RNN-T models; this is a CTC model's output");
    return this.search === 'greedy' ? new BestPathStream(this.labels, this.blank) : new CtcBeamStream(this.ctcBeamSearch());
  }

  private ctcBeamSearch(): CtcBeamSearchDecoder {
    return this.ctcBeam ??= new CtcBeamSearchDecoder(this.labels, {
      ...this.config.ctc, blank: this.blank, lm: this.config.lm, alpha: this.config.alpha, beta: this.config.beta,
      beamWidth: this.config.beamWidth, hotwords: this.config.hotwords, nBest: this.config.nBest,
    });
  }

  private decodeTransducer(y: TransducerOutput): TimedHypothesis[][] {
    return transducerDecodeMany(y.model, y.encoded, this.transducerDecodeOptions())
      .map((nbest, b) => nbest.map((h) => withPathConfidence(h, y.encoded[b]!.frames)));
  }

  private transducerDecodeOptions(): TransducerDecodeOptions {
    const c = this.config;
    if (c.ctc?.labelBonus) throw new Error("decoder: labelBonus applies to CTC models' beam search; this is an RNN-T model's output");
    return this.transducerOptions ??= {
      method: this.search === 'greedy' ? 'greedy' : c.rnntSearch === 'graves' ? 'beam' : 'modified-beam',
      ...(c.beamWidth !== undefined ? { beam: c.beamWidth } : {}), // else the searches' one default, DEFAULT_RNNT_BEAM
      nBest: c.nBest,
      lm: c.lm || c.hotwords ? wordFusion(this.labels, { blank: this.blank, lm: c.lm, alpha: c.alpha, beta: c.beta, hotwords: c.hotwords }) : undefined,
      ...(c.maxSymbolsPerFrame !== undefined ? { maxSymbolsPerFrame: c.maxSymbolsPerFrame } : {}),
    };
  }
}
