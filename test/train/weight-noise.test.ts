import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../src/math/random.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { Trainer } from '../../src/train/trainer.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { randomBatches, squaredLoss } from './helpers.js';

const config = { inputDim: 3, hiddenSize: 4, numLayers: 2, numClasses: 5 };
const backends = await availableBackends();
for (const be of backends) {
  describe(`weight noise on ${backendLabel(be)}`, () => {
    it('sigma 0 is exactly no noise', () => {
      const batches = randomBatches(3, 3);
      const run = (noise: number | undefined): Float32Array => {
        const model = new CtcModel(config, { backend: be, seed: 1 });
        const opts = noise === undefined ? { learningRate: 0.05 } : { learningRate: 0.05, weightNoise: noise };
        const trainer = new Trainer(model, opts, squaredLoss);
        for (const b of batches) trainer.trainStep(b);
        return model.params.data.slice();
      };
      assert.deepEqual(run(0), run(undefined));
    });

    it('sigma > 0: the gradient is taken at the perturbed weights and applied to the clean ones', () => {
      const [batch] = randomBatches(1, 3);
      const sigma = 0.05, lr = 0.1;
      const model = new CtcModel(config, { backend: be, seed: 2 });
      const clean = model.params.data.slice();
      const trainer = new Trainer(model, { learningRate: lr, weightNoise: sigma, optimizer: { kind: 'sgd' }, seed: 9 }, squaredLoss);
      // the same noise, drawn from a copy of the trainer's random stream
      const noise = new Float32Array(clean.length);
      Random.fromState(trainer.rng.state()).fillNormal(noise, sigma);
      trainer.trainStep(batch!);
      // reference: gradient at clean + noise, computed directly
      const ref = new CtcModel(config, { backend: be, seed: 2 });
      for (let i = 0; i < clean.length; i++) ref.params.data[i] = clean[i]! + noise[i]!;
      ref.params.zeroGrad();
      const out = ref.forward(batch!.x, batch!.shape, batch!.lengths);
      ref.backward(squaredLoss(out.logits, out.shape, batch!.targets, out.lengths).grad!);
      assert.deepEqual(model.params.grad, ref.params.grad);
      // applied to the clean weights: w = clean - lr * g (plain SGD)
      const expected = clean.slice();
      for (let i = 0; i < expected.length; i++) expected[i]! -= lr * ref.params.grad[i]!;
      assert.deepEqual(model.params.data, expected);
      // and it differs from the clean-weight gradient
      const cleanModel = new CtcModel(config, { backend: be, seed: 2 });
      cleanModel.params.zeroGrad();
      const o2 = cleanModel.forward(batch!.x, batch!.shape, batch!.lengths);
      cleanModel.backward(squaredLoss(o2.logits, o2.shape, batch!.targets, o2.lengths).grad!);
      assert.notDeepEqual(cleanModel.params.grad, model.params.grad);
      // evaluation never adds noise
      assert.deepEqual(trainer.evaluateLoss(batch!), trainer.evaluateLoss(batch!));
    });

    it('draws noise once per minibatch: a new draw each step, none per time step', () => {
      const model = new CtcModel(config, { backend: be, seed: 2 });
      const trainer = new Trainer(model, { learningRate: 0, weightNoise: 0.1, optimizer: { kind: 'sgd' }, seed: 3 }, squaredLoss);
      const before = trainer.rng.state();
      const [batch] = randomBatches(1, 3);
      trainer.trainStep(batch!);
      const replay = Random.fromState(before);
      replay.fillNormal(new Float32Array(model.params.size), 0.1);
      assert.deepEqual(trainer.rng.state(), replay.state()); // exactly one draw of the weight vector
    });
  });
}
