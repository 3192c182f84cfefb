/**
 * What `sayre train`, `eval` and `transcribe` need to handle RNN-T models, as library calls
 * that mirror their CTC counterparts: batch transcription (greedy or beam search) and the
 * dev-set scores of a training run (train/run/evaluate.ts's DevScores).
 */
import type { Features } from '../audio/features.js';
import { batchEpoch } from '../data/batching.js';
import type { CharTokenizer } from '../data/char-tokenizer.js';
import type { Hypothesis } from '../decode/hypothesis.js';
import type { EncoderOutput, TransducerModel } from '../decode/rnnt-model.js';
import type { RnntLmFusion } from '../decode/rnnt-fusion.js';
import { rnntBeamSearch } from '../decode/rnnt-beam.js';
import { rnntGreedyDecode, rnntGreedyDecodeBatch } from '../decode/rnnt-greedy.js';
import { rnntModifiedBeamSearch } from '../decode/rnnt-modified-beam.js';
import { scoreTranscripts } from '../metrics/error-rate.js';
import { padFeatures } from '../recognizer/pad-batch.js';
import type { DevScores } from '../train/run/evaluate.js';
import { RnntModel } from './transducer-model.js';

/** How to decode a transducer. */
export interface TransducerDecodeOptions {
  /** 'greedy' (default), 'beam' (Graves 2012) or 'modified-beam' (one label per frame). */
  method?: 'greedy' | 'beam' | 'modified-beam';
  /** Beam width of the beam searches (default 4). */
  beam?: number;
  /** Greedy decoding's and the Graves search's cap on labels per frame (default 10). */
  maxSymbolsPerFrame?: number;
  /** Hypotheses the beam searches return, best first (default 1). */
  nBest?: number;
  /** Shallow fusion of the beam searches with a language model (see rnnt-word-fusion.ts for a word LM). */
  lm?: RnntLmFusion;
}

/** Best hypotheses of a padded batch x [T, B, inputDim] with lengths[b] real frames, in batch order. */
export function transducerDecodeBatch(
  model: RnntModel, x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>,
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
  const method = options.method ?? 'greedy';
  const cap = options.maxSymbolsPerFrame !== undefined ? { maxSymbolsPerFrame: options.maxSymbolsPerFrame } : {};
  if (method === 'greedy') {
    if (options.lm) throw new Error('transducerDecode: LM fusion needs a beam search (method beam or modified-beam), not greedy decoding');
    return [rnntGreedyDecode(model, enc, cap)];
  }
  const beam = { beam: options.beam ?? 4, nBest: options.nBest ?? 1, lm: options.lm };
  if (method === 'beam') return rnntBeamSearch(model, enc, { ...beam, ...cap });
  if (method === 'modified-beam') return rnntModifiedBeamSearch(model, enc, beam);
  throw new Error(`transducerDecode: unknown method '${String(method)}' (greedy, beam, modified-beam)`);
}

/**
 * Dev-set scores of an RNN-T model at its current weights, as evaluateDev gives a CTC
 * model's: mean RNN-T loss per target label, and the CER/WER of `decode` (default greedy),
 * in length-sorted batches of at most `maxFrames` padded frames. Every utterance with at
 * least one frame is possible for a transducer.
 */
export function evaluateTransducer(
  model: RnntModel, feats: readonly Features[], targets: readonly Int32Array[], texts: readonly string[],
  tokenizer: CharTokenizer, maxFrames: number, decode: TransducerDecodeOptions = {},
): DevScores {
  const objective = model.objective({ reduction: 'sum' });
  const hyps: string[] = new Array(feats.length);
  let lossSum = 0, counted = 0, impossible = 0;
  for (const idx of batchEpoch(feats.map((f) => f.frames), { maxFrames, seed: 0, shuffle: false }, 0)) {
    const usable = idx.filter((i) => {
      if (feats[i]!.frames > 0) return true;
      hyps[i] = '';
      impossible++;
      return false;
    });
    if (usable.length === 0) continue;
    const batch = padFeatures(feats, usable);
    const encs = RnntModel.splitOutput(model.infer(batch.x, batch.shape, batch.lengths));
    const decoded = transducerDecodeMany(model, encs, decode);
    usable.forEach((i, b) => {
      const e = encs[b]!;
      // one utterance at a time: the loss per label needs each utterance's own loss
      const l = objective(e.data, [e.frames, 1, e.dim], [targets[i]!], [e.frames]).loss;
      if (Number.isFinite(l)) { lossSum += l / Math.max(1, targets[i]!.length); counted++; } else impossible++;
      hyps[i] = tokenizer.decode(decoded[b]![0]!.tokens);
    });
  }
  const score = scoreTranscripts(texts.map((ref, i) => ({ ref, hyp: hyps[i]! })));
  return { loss: counted > 0 ? lossSum / counted : NaN, cer: score.cer, wer: score.wer, impossible };
}
