import { batchEpoch } from '../../data/batching.js';
import type { CharTokenizer } from '../../data/char-tokenizer.js';
import { padFeatures } from '../../data/pad-batch.js';
import { scoreTranscripts } from '../../metrics/error-rate.js';
import { type TransducerDecodeOptions, transducerDecodeMany } from '../../decode/rnnt-decode.js';
import { RnntModel } from '../../model/transducer-model.js';
import type { Features } from '../../util/features.js';
import { type FeatureSet, featureSetOf } from '../../util/feature-set.js';
import type { DevScores } from './evaluate.js';

/**
 * Dev-set scores of an RNN-T model at its current weights, as evaluateDev gives a CTC
 * model's: mean RNN-T loss per target label, and the CER/WER of `decode` (default greedy),
 * in length-sorted batches of at most `maxFrames` padded frames. Every utterance with at
 * least one frame is possible for a transducer. On a device backend (webgpu) the encoder
 * runs there (one read-back a batch) and the decoding and the loss on the host, from the
 * weights read back once per call (RnntModel.onHost).
 */
export async function evaluateTransducer(
  model: RnntModel, feats: readonly Features[] | FeatureSet, targets: readonly Int32Array[], texts: readonly string[],
  tokenizer: CharTokenizer, maxFrames: number, decode: TransducerDecodeOptions = {},
): Promise<DevScores> {
  const host = await model.onHost(true);
  const objective = host.objective({ reduction: 'sum' });
  const hyps: string[] = new Array(feats.length);
  let lossSum = 0, counted = 0, impossible = 0;
  const set = featureSetOf(feats);
  for (const idx of batchEpoch(set.frames, { maxFrames, seed: 0, shuffle: false }, 0)) {
    const usable = idx.filter((i) => {
      if (set.frames[i]! > 0) return true;
      hyps[i] = '';
      impossible++;
      return false;
    });
    if (usable.length === 0) continue;
    const batch = padFeatures(usable.map((i) => set.get(i)), usable.map((_, b) => b));
    const y = model.infer(batch.x, batch.shape, batch.lengths);
    await model.backend.read(y.logits); // at once on the CPU backends
    const encs = RnntModel.splitOutput(y);
    const decoded = transducerDecodeMany(host, encs, decode);
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
