import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctcGreedyDecode } from '../../src/decode/greedy.js';
import { Random } from '../../src/math/random.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { type Batch, Trainer } from '../../src/train/trainer.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';

const F = 6, C = 5;

/**
 * A handful of synthetic utterances: each label is a fixed random pattern held for 2-3
 * frames (with noise), separated by 0-2 silent frames, so that a small BiLSTM can learn
 * to read it (repeated labels need the silence between them, as CTC needs the blank).
 */
function syntheticBatch(): Batch {
  const rng = new Random(42);
  const patterns = Array.from({ length: C }, () => Array.from({ length: F }, () => (rng.uniform() < 0.5 ? -1 : 1)));
  const targets = [[1, 2, 3], [4, 1], [2, 2, 4], [3, 1, 4, 2], [1]];
  const seqs = targets.map((labels) => {
    const frames: number[][] = [];
    const silence = (): void => { for (let i = rng.int(3); i > 0; i--) frames.push(new Array<number>(F).fill(0)); };
    silence();
    labels.forEach((l, k) => {
      if (k > 0 && labels[k - 1] === l && frames.length > 0 && frames[frames.length - 1]!.some((v) => v !== 0)) frames.push(new Array<number>(F).fill(0));
      for (let i = 2 + rng.int(2); i > 0; i--) frames.push(patterns[l]!.map((v) => v + 0.2 * rng.normal()));
      silence();
    });
    return frames;
  });
  const T = Math.max(...seqs.map((s) => s.length)), B = seqs.length;
  const x = new Float32Array(T * B * F);
  seqs.forEach((s, b) => s.forEach((frame, t) => x.set(frame, (t * B + b) * F)));
  return { x, shape: [T, B, F], lengths: seqs.map((s) => s.length), targets };
}

const backends = await availableBackends();
for (const be of backends) {
  describe(`overfitting on ${backendLabel(be)}`, () => {
    it('a small BiLSTM + CTC model learns a handful of sequences to zero greedy errors', () => {
      const batch = syntheticBatch();
      const model = new CtcModel({ inputDim: F, hiddenSize: 16, numLayers: 2, numClasses: C }, { backend: be, seed: 1 });
      const trainer = new Trainer(model, { learningRate: 0.02, optimizer: { kind: 'adam' }, clipNorm: 5, seed: 1 }); // CTC objective by default
      const errors = (): number => {
        const out = model.infer(batch.x, batch.shape, batch.lengths);
        const hyps = ctcGreedyDecode(out.logits, out.shape, out.lengths);
        return hyps.reduce((n, h, b) => n + (h.tokens.join() === Array.from(batch.targets[b]!).join() ? 0 : 1), 0);
      };
      const first = trainer.evaluateLoss(batch);
      assert.ok(errors() > 0, 'the untrained model should not already be right');
      let step = 0;
      while (errors() > 0 && step < 400) {
        trainer.trainStep(batch);
        step++;
      }
      assert.equal(errors(), 0, `still wrong after ${step} updates`);
      assert.ok(trainer.evaluateLoss(batch) < first / 5, 'the loss fell');
    });
  });
}
