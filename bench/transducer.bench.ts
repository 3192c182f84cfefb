/**
 * CTC against RNN-T with the same encoder, on a small synthetic corpus (the Show part of
 * issue 7 at toy scale; the speech corpus comparison needs hours of CPU). Sentences of
 * 2-4 words from a fixed 40-word lexicon over 12 letters are "spoken" as one noisy
 * 8-dimensional pattern per letter, held for 1-3 frames; pairs of letters share nearly the
 * same pattern, so the acoustics alone leave some letters ambiguous and the label context
 * (the lexicon) has to settle them. Both models: frames -> BiLSTM (1 x 32 per direction);
 * CTC adds Linear to 13 classes, RNN-T a prediction network (embedding 16, LSTM 32) and a
 * joint network (32). Same Adam recipe, same batches, same number of epochs; decoded
 * without an LM (CTC best path; RNN-T greedy and Graves beam search, beam 4). Prints
 * test-split CER and utterance error rate of each (no space label, so no WER) and, as this file's "ratio", CTC's CER over RNN-T's.
 *
 *   npm run bench -- transducer
 *   SAYRE_BENCH_EPOCHS=30      epochs per model
 */
import { batchEpoch } from '../src/data/batching.js';
import { ctcGreedyDecode } from '../src/decode/greedy.js';
import { Random } from '../src/math/random.js';
import { scoreTranscripts } from '../src/metrics/error-rate.js';
import { CtcModel } from '../src/model/ctc-model.js';
import { transducerDecode } from '../src/decode/rnnt-decode.js';
import { RnntModel } from '../src/model/transducer-model.js';
import { padFeatures } from '../src/data/pad-batch.js';
import type { TrainableModel } from '../src/model/trainable.js';
import { type Batch, Trainer } from '../src/train/trainer.js';

const LETTERS = 'abcdefghijkl', F = 8, V = LETTERS.length + 1; // + blank (0)
const EPOCHS = Number(process.env['SAYRE_BENCH_EPOCHS'] ?? 30);

interface Utterance { frames: number; dim: number; data: Float32Array; text: string; labels: Int32Array }

function corpus(n: number, seed: number, lexicon: string[], patterns: Float32Array[]): Utterance[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const words = Array.from({ length: 2 + rng.int(3) }, () => lexicon[rng.int(lexicon.length)]!);
    const text = words.join('');
    const labels = Int32Array.from(text, (c) => LETTERS.indexOf(c) + 1);
    const rows: Float32Array[] = [];
    for (const k of labels) for (let i = 1 + rng.int(3); i > 0; i--) rows.push(patterns[k]!.map((v) => v + 0.6 * rng.normal()));
    const data = new Float32Array(rows.length * F);
    rows.forEach((r, t) => data.set(r, t * F));
    return { frames: rows.length, dim: F, data, text: words.join(' '), labels };
  });
}

function setup(): { train: Utterance[]; test: Utterance[] } {
  const rng = new Random(1);
  const base = Array.from({ length: V }, () => Float32Array.from({ length: F }, () => rng.normal()));
  // letters 2k+1 and 2k+2 sound almost alike
  const patterns = base.map((p, k) => (k > 0 && k % 2 === 0 ? base[k - 1]!.map((v, i) => v + 0.35 * (p[i]! - v)) : p));
  const lexicon = Array.from({ length: 40 }, () => Array.from({ length: 2 + rng.int(4) }, () => LETTERS[rng.int(LETTERS.length)]).join(''));
  return { train: corpus(400, 2, lexicon, patterns), test: corpus(100, 3, lexicon, patterns) };
}

/** The letters of a label sequence. */
function toText(labels: ArrayLike<number>): string {
  return Array.from(labels, (k) => LETTERS[k - 1]!).join('');
}

function train<M extends TrainableModel>(model: M, data: Utterance[]): number {
  const trainer = new Trainer(model, { learningRate: 0.01, optimizer: { kind: 'adam' }, clipNorm: 5, seed: 1 });
  const t0 = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const idx of batchEpoch(data.map((u) => u.frames), { maxBatchSize: 16, seed: 5 }, epoch)) {
      const p = padFeatures(data, idx);
      const batch: Batch = { x: p.x, shape: p.shape, lengths: p.lengths, targets: idx.map((i) => data[i]!.labels) };
      trainer.trainStep(batch);
    }
  }
  return (performance.now() - t0) / 1000;
}

function score(name: string, hyps: string[], test: Utterance[], seconds: number): number {
  // The label set has no space, so there are no words to score: letters (CER) and whole utterances instead.
  const s = scoreTranscripts(test.map((u, i) => ({ ref: toText(u.labels), hyp: hyps[i]! })));
  const ser = test.filter((u, i) => toText(u.labels) !== hyps[i]).length / test.length;
  console.log(`${name.padEnd(26)} CER ${(100 * s.cer).toFixed(2).padStart(6)}%   utterance errors ${(100 * ser).toFixed(1).padStart(5)}%   (${seconds.toFixed(1)} s training)`);
  return s.cer;
}

const { train: trainSet, test } = setup();
const enc = { inputDim: F, hiddenSize: 32, numLayers: 1, numClasses: V };
console.log(`synthetic corpus: ${trainSet.length} train / ${test.length} test utterances, ${EPOCHS} epochs each (CPU shared with other jobs: times are under load)`);

const ctc = new CtcModel(enc, { seed: 7 });
const ctcSeconds = train(ctc, trainSet);
const ctcHyps = test.map((u) => {
  const y = ctc.infer(u.data, [u.frames, 1, F], [u.frames]);
  return toText(ctcGreedyDecode(y.logits, y.shape, y.lengths)[0]!.tokens);
});
const ctcCer = score('CTC, best path', ctcHyps, test, ctcSeconds);

const rnnt = new RnntModel({ type: 'rnnt', ...enc, predEmbedDim: 16, predHiddenSize: 32, jointDim: 32 }, { seed: 7 });
const rnntSeconds = train(rnnt, trainSet);
const encs = test.map((u) => rnnt.encode(u.data, [u.frames, 1, F], [u.frames])[0]!);
const rnntCer = score('RNN-T, greedy', encs.map((e) => toText(transducerDecode(rnnt, e).tokens)), test, rnntSeconds);
score('RNN-T, beam 4', encs.map((e) => toText(transducerDecode(rnnt, e, { method: 'beam', beam: 4 }).tokens)), test, rnntSeconds);
console.log(`ratio (CTC CER / RNN-T greedy CER): ${(ctcCer / Math.max(rnntCer, 1e-9)).toFixed(2)}`);
