import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rnntGreedyDecode, rnntGreedyDecodeBatch } from '../../src/decode/rnnt-greedy.js';
import type { EncoderOutput } from '../../src/decode/rnnt-model.js';
import { Random } from '../../src/math/random.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { ToyTransducer, toyEncoder } from './toy-transducer.js';

test('batched greedy decoding gives every utterance the hypothesis it gets alone', () => {
  const model = new RnntModel({
    type: 'rnnt', inputDim: 4, hiddenSize: 8, numLayers: 1, numClasses: 6, predEmbedDim: 4, predHiddenSize: 8, jointDim: 8,
  }, { seed: 3 });
  const rng = new Random(5);
  const encs: EncoderOutput[] = [0, 7, 1, 30, 12, 25].map((frames) => ({
    frames, dim: 8, data: Float32Array.from({ length: frames * 8 }, () => 6 * (rng.uniform() - 0.5)),
  }));
  for (const maxSymbolsPerFrame of [1, 2, 10]) {
    const alone = encs.map((e) => rnntGreedyDecode(model, e, { maxSymbolsPerFrame }));
    const batched = rnntGreedyDecodeBatch(model, encs, { maxSymbolsPerFrame });
    // The same labels at the same frames; the scores to rounding, since a batch's products take
    // other BLAS kernels than one row's (on AMD's Zen kernels they differ in the 9th digit).
    assert.deepEqual(batched.map(({ score: _, ...h }) => h), alone.map(({ score: _, ...h }) => h));
    batched.forEach((h, i) => assert.ok(Math.abs(h.score - alone[i]!.score) <= 1e-6 * Math.max(1, Math.abs(h.score)), `utterance ${i}: score ${h.score} alone ${alone[i]!.score}`));
    // both paths are taken: frames that emit labels, and frames that end on a blank
    assert.ok(alone.some((h) => h.tokens.length > 3), 'some utterance emits labels');
    assert.ok(alone.some((h, i) => h.tokens.length < encs[i]!.frames * maxSymbolsPerFrame), 'some frame ends on a blank');
  }
  // a model without predictBatch is decoded one utterance at a time
  const toy = new ToyTransducer(2, 3, 2);
  const toyEncs = [toyEncoder(1, 5, 2), toyEncoder(2, 3, 2)];
  assert.deepEqual(rnntGreedyDecodeBatch(toy, toyEncs), toyEncs.map((e) => rnntGreedyDecode(toy, e)));
  assert.throws(() => rnntGreedyDecodeBatch(model, encs, { maxSymbolsPerFrame: 0 }), /maxSymbolsPerFrame must be a positive integer/);
});
