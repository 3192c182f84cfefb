import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rnntGreedyDecode } from '../../src/decode/rnnt-greedy.js';
import { rnntBeamSearch } from '../../src/decode/rnnt-beam.js';
import { Random } from '../../src/math/random.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { loadAnyCheckpoint } from '../../src/train/checkpoint.js';
import { initEncoderFromCtc, initEncoderFromCtcCheckpoint, loadTransducerCheckpoint } from '../../src/train/transducer-checkpoint.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { transducerDecodeBatch } from '../../src/decode/rnnt-decode.js';
import { evaluateTransducer } from '../../src/train/run/evaluate-transducer.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { type Batch, Trainer } from '../../src/train/trainer.js';

const F = 5, V = 5;

/**
 * Synthetic utterances: label k is a fixed +-1 pattern held for 1-3 noisy frames, with
 * optional quiet frames in between; repeated labels need no separator (the transducer
 * emits both at one frame if it likes).
 */
function utterances(): Batch {
  const rng = new Random(9);
  const pattern = Array.from({ length: V }, () => Float32Array.from({ length: F }, () => (rng.uniform() < 0.5 ? -1 : 1)));
  const targets = [[1, 2, 3], [4, 4, 1], [2], [3, 1, 4, 2], [2, 3, 3]];
  const seqs = targets.map((y) => y.flatMap((k) => {
    const held = Array.from({ length: 1 + rng.int(3) }, () => pattern[k]!.map((v) => v + 0.2 * rng.normal()));
    return rng.uniform() < 0.5 ? [...held, new Float32Array(F)] : held;
  }));
  const T = Math.max(...seqs.map((s) => s.length)), B = seqs.length;
  const x = new Float32Array(T * B * F);
  seqs.forEach((s, b) => s.forEach((frame, t) => x.set(frame, (t * B + b) * F)));
  return { x, shape: [T, B, F], lengths: seqs.map((s) => s.length), targets };
}

const config = { type: 'rnnt' as const, inputDim: F, hiddenSize: 12, numLayers: 1, numClasses: V, predEmbedDim: 6, predHiddenSize: 12, jointDim: 16 };

/** Utterance b's frames alone, [length, F]. */
function framesOf(batch: Batch, b: number): Float32Array {
  const B = batch.shape[1];
  const x = new Float32Array(batch.lengths[b]! * F);
  for (let t = 0; t < batch.lengths[b]!; t++) x.set(batch.x.subarray((t * B + b) * F, (t * B + b + 1) * F), t * F);
  return x;
}

/** Trainer-loss arguments for utterance b alone. */
function oneUtterance(model: RnntModel, batch: Batch, b: number): Parameters<Trainer<RnntModel>['loss']> {
  const y = model.infer(framesOf(batch, b), [batch.lengths[b]!, 1, F], [batch.lengths[b]!]);
  return [y.logits, y.shape, [batch.targets[b]!], y.lengths];
}

function greedyErrors(model: RnntModel, batch: Batch): number {
  const enc = model.encode(batch.x, batch.shape, batch.lengths);
  return enc.reduce((n, e, b) => n + (rnntGreedyDecode(model, e).tokens.join() === Array.from(batch.targets[b]!).join() ? 0 : 1), 0);
}

describe('RNN-T training', () => {
  it('a small transducer overfits a handful of synthetic sequences to zero greedy errors (Trainer, model objective)', async (t) => {
    const batch = utterances();
    const model = new RnntModel(config, { seed: 2 });
    const trainer = new Trainer(model, { learningRate: 0.02, optimizer: { kind: 'adam' }, clipNorm: 5, seed: 1 });
    const first = trainer.evaluateLoss(batch);
    assert.ok(greedyErrors(model, batch) > 0, 'the untrained model should not already be right');
    let steps = 0;
    while (greedyErrors(model, batch) > 0) {
      assert.ok(steps < 600, `still ${greedyErrors(model, batch)} errors after ${steps} steps (loss ${trainer.evaluateLoss(batch)})`);
      const r = trainer.trainStep(batch);
      assert.ok(!r.skipped && Number.isFinite(r.loss));
      steps++;
    }
    t.diagnostic(`zero greedy errors after ${steps} steps, loss ${trainer.evaluateLoss(batch).toFixed(4)} (from ${first.toFixed(4)})`);
    assert.ok(trainer.evaluateLoss(batch) < first / 4, `loss ${trainer.evaluateLoss(batch)} from ${first}`);
    // Graves's beam search finds the same transcripts
    for (const [b, e] of model.encode(batch.x, batch.shape, batch.lengths).entries()) {
      assert.deepEqual(rnntBeamSearch(model, e, { beam: 4 })[0]!.tokens, Array.from(batch.targets[b]!));
    }
    assert.deepEqual(transducerDecodeBatch(model, batch.x, batch.shape, batch.lengths, { method: 'beam' }).map((h) => h.tokens), batch.targets);
    // the dev scores of a training run: utterances one by one, as features
    const tokenizer = new CharTokenizer();
    const B = batch.shape[1];
    const feats = batch.targets.map((_, b) => ({ data: framesOf(batch, b), frames: batch.lengths[b]!, dim: F }));
    const texts = batch.targets.map((y) => tokenizer.decode(y));
    const dev = await evaluateTransducer(model, feats, batch.targets.map((y) => Int32Array.from(y)), texts, tokenizer, 40);
    assert.equal(dev.cer, 0);
    assert.equal(dev.impossible, 0);
    const perLabel = batch.targets.reduce((a, y, b) => a + (trainer.loss(...oneUtterance(model, batch, b)).loss / y.length), 0) / B;
    assert.ok(Math.abs(dev.loss - perLabel) < 1e-4 * perLabel, `dev loss ${dev.loss} vs ${perLabel}`);
  });

  it('checkpoints round-trip (weights, loss, resumed training), load by type, and a CTC encoder initialises the transducer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-rnnt-'));
    try {
      const batch = utterances();
      const model = new RnntModel(config, { seed: 4 });
      const trainer = new Trainer(model, { learningRate: 0.01, optimizer: { kind: 'adam' }, seed: 3 });
      for (let i = 0; i < 3; i++) trainer.trainStep(batch);
      const path = join(dir, 'ckpt.safetensors');
      trainer.save(path);
      const ck = loadTransducerCheckpoint(path);
      assert.deepEqual(ck.model.config, model.config);
      assert.deepEqual(ck.model.params.data, model.params.data);
      assert.ok(loadAnyCheckpoint(path).model instanceof RnntModel);
      // resuming with the model's own objective continues exactly as the original trainer
      const resumed = Trainer.fromCheckpoint(ck, path, undefined).trainer;
      assert.equal(resumed.evaluateLoss(batch), trainer.evaluateLoss(batch));
      const a = trainer.trainStep(batch), b = resumed.trainStep(batch);
      assert.equal(b.loss, a.loss);
      assert.deepEqual(resumed.model.params.data, model.params.data);

      const ctc = new CtcModel({ inputDim: F, hiddenSize: 12, numLayers: 1, numClasses: V }, { seed: 8 });
      const fresh = new RnntModel(config, { seed: 5 });
      const copied = initEncoderFromCtc(fresh, ctc);
      assert.ok(copied > 0);
      for (const e of ctc.params.entries) if (e.name.startsWith('lstm.')) assert.deepEqual(fresh.params.value(e.name), ctc.params.value(e.name));
      assert.throws(() => initEncoderFromCtc(fresh, new CtcModel({ inputDim: F, hiddenSize: 8, numLayers: 1, numClasses: V })), /hiddenSize/);
      // from a CTC checkpoint file
      const ctcPath = join(dir, 'ctc.safetensors');
      new Trainer(ctc, { learningRate: 0.01 }).save(ctcPath);
      const other = new RnntModel(config, { seed: 6 });
      assert.equal(initEncoderFromCtcCheckpoint(other, ctcPath), copied);
      assert.deepEqual(other.params.value('lstm.weight_hh_l0_reverse'), ctc.params.value('lstm.weight_hh_l0_reverse'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
