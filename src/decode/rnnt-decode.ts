/**
 * Decoding a transducer's encoder outputs by any of the RNN-T searches (greedy, Graves's
 * beam search, the modified beam search), with or without LM fusion.
 */
import type { Hypothesis } from './hypothesis.js';
import type { EncoderOutput, TransducerModel } from './rnnt-model.js';
import type { RnntLmFusion } from './rnnt-fusion.js';
import type { DEFAULT_RNNT_BEAM } from './rnnt-beam-common.js'; // for TSDoc
import { RnntBeamStream } from './rnnt-beam.js';
import { RnntGreedyStream, rnntGreedyDecodeBatch } from './rnnt-greedy.js';
import { RnntModifiedBeamStream } from './rnnt-modified-beam.js';

/** How to decode a transducer. */
export interface TransducerDecodeOptions {
  /** 'greedy' (default), 'beam' (Graves 2012) or 'modified-beam' (one label per frame). */
  method?: 'greedy' | 'beam' | 'modified-beam';
  /** Beam width of the beam searches (default {@link DEFAULT_RNNT_BEAM}). */
  beam?: number;
  /** Greedy decoding's and the Graves search's cap on labels per frame (default 10). */
  maxSymbolsPerFrame?: number;
  /** Hypotheses the beam searches return, best first (default 1). */
  nBest?: number;
  /** Shallow fusion of the beam searches with a language model (see rnnt-word-fusion.ts for a word LM). */
  lm?: RnntLmFusion;
}

/** Best hypotheses of a padded batch x [T, B, inputDim] with lengths[b] real frames, in batch order. */
export function transducerDecodeBatch<S>(
  model: TransducerModel<S> & { encode(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): EncoderOutput[] }, x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>,
  options: TransducerDecodeOptions = {},
): Hypothesis[] {
  return transducerDecodeMany(model, model.encode(x, shape, lengths), options).map((nbest) => nbest[0]!);
}

/**
 * The n-best lists of several utterances' encoder outputs, in order: greedy decoding runs
 * them together (rnntGreedyDecodeBatch: the same hypotheses, batched prediction steps),
 * the beam searches one at a time.
 */
export function transducerDecodeMany<S>(model: TransducerModel<S>, encs: readonly EncoderOutput[], options: TransducerDecodeOptions = {}): Hypothesis[][] {
  if ((options.method ?? 'greedy') !== 'greedy' || options.lm) return encs.map((enc) => transducerDecodeNBest(model, enc, options));
  const cap = options.maxSymbolsPerFrame !== undefined ? { maxSymbolsPerFrame: options.maxSymbolsPerFrame } : {};
  return rnntGreedyDecodeBatch(model, encs, cap).map((h) => [h]);
}

/** The best hypothesis of one utterance's encoder output. */
export function transducerDecode<S>(model: TransducerModel<S>, enc: EncoderOutput, options: TransducerDecodeOptions = {}): Hypothesis {
  return transducerDecodeNBest(model, enc, options)[0]!;
}

/** The n-best hypotheses of one utterance's encoder output, best first (greedy decoding gives one). */
export function transducerDecodeNBest<S>(model: TransducerModel<S>, enc: EncoderOutput, options: TransducerDecodeOptions = {}): Hypothesis[] {
  const search = transducerSearch(model, options);
  search.step(enc);
  return search.end();
}

/** The search `options` name over `model`, to be stepped over encoder frames (a stream's, or a whole utterance's). */
export function transducerSearch<S>(model: TransducerModel<S>, options: TransducerDecodeOptions = {}): RnntGreedyStream<S> | RnntBeamStream<S> | RnntModifiedBeamStream<S> {
  const method = options.method ?? 'greedy';
  const cap = options.maxSymbolsPerFrame !== undefined ? { maxSymbolsPerFrame: options.maxSymbolsPerFrame } : {};
  if (method === 'greedy') {
    if (options.lm) throw new Error('transducerDecode: LM fusion needs a beam search (method beam or modified-beam), not greedy decoding');
    return new RnntGreedyStream(model, cap);
  }
  const beam = { ...(options.beam !== undefined ? { beam: options.beam } : {}), nBest: options.nBest ?? 1, lm: options.lm };
  if (method === 'beam') return new RnntBeamStream(model, { ...beam, ...cap });
  if (method === 'modified-beam') return new RnntModifiedBeamStream(model, beam);
  throw new Error(`transducerDecode: unknown method '${String(method)}' (greedy, beam, modified-beam)`);
}
