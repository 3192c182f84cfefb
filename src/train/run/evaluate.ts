import type { Backend } from '../../backend/index.js';
import type { Features } from '../../util/features.js';
import { type FeatureSet, featureSetOf } from '../../util/feature-set.js';
import { batchEpoch } from '../../data/batching.js';
import type { CharTokenizer } from '../../data/char-tokenizer.js';
import { ctcLoss } from '../../losses/ctc.js';
import { scoreTranscripts } from '../../metrics/error-rate.js';
import type { CtcModelOutput } from '../../model/ctc-model.js';
import { padFeatures } from '../../data/pad-batch.js';
import { bestPaths } from '../../decode/best-path.js';
import { tokenizerLabels } from '../../data/char-tokenizer.js';

/** What dev evaluation needs of a model (a CtcModel or a CrnnModel). */
export interface DevModel {
  readonly params: { readonly backend?: Backend | undefined };
  infer(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcModelOutput;
}

/** Scores of a model on a labelled set. */
export interface DevScores {
  /** Mean over utterances of the CTC loss per target label (utterances the model cannot align are left out). */
  loss: number;
  /** Greedy (best-path) character and word error rates, as fractions. */
  cer: number;
  wer: number;
  /** Utterances too short for their transcript at the model's frame rate. */
  impossible: number;
}

/**
 * Dev-set evaluation at the model's current weights (a CTC model or a CRNN): CTC loss, and
 * CER/WER of the best path, in length-sorted batches of at most `maxFrames` padded frames.
 * On a device backend each batch's logits are read back once; decoding stays on the host.
 */
export async function evaluateDev(model: DevModel, feats: readonly Features[] | FeatureSet, targets: readonly Int32Array[], texts: readonly string[], tokenizer: CharTokenizer, maxFrames: number): Promise<DevScores> {
  const labels = tokenizerLabels(tokenizer);
  const hyps: string[] = new Array(feats.length);
  let lossSum = 0, counted = 0, impossible = 0;
  const set = featureSetOf(feats);
  for (const idx of batchEpoch(set.frames, { maxFrames, seed: 0, shuffle: false }, 0)) {
    const batch = padFeatures(idx.map((i) => set.get(i)), idx.map((_, b) => b));
    const y = model.infer(batch.x, batch.shape, batch.lengths);
    await model.params.backend?.read(y.logits); // at once on the CPU backends
    const res = ctcLoss(y.logits, y.shape, idx.map((i) => targets[i]!), y.lengths, { blank: tokenizer.blank, reduction: 'none', grad: false });
    const best = bestPaths(y.logits, y.shape, y.lengths, { blank: tokenizer.blank, labels });
    idx.forEach((i, b) => {
      const l = res.losses[b]!;
      if (Number.isFinite(l)) { lossSum += l / Math.max(1, targets[i]!.length); counted++; } else impossible++;
      hyps[i] = best[b]!.text;
    });
  }
  const score = scoreTranscripts(texts.map((ref, i) => ({ ref, hyp: hyps[i]! })));
  return { loss: counted > 0 ? lossSum / counted : NaN, cer: score.cer, wer: score.wer, impossible };
}
