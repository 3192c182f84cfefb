import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeVadWeights, encodeVadWeights, type VadWeightsJson } from '../../src/audio/vad-model-weights.js';
import { VadNet, vadNetParamSpecs } from '../../src/audio/vad-net.js';
import { loadAudio } from '../../src/audio/wav-read.js';
import { JsBackend } from '../../src/backend/js-backend.js';
import { buildVadSet } from '../../src/corpus/vad/vad-set.js';
import { logisticLoss } from '../../src/losses/logistic.js';
import { Random } from '../../src/math/random.js';
import { Parameters } from '../../src/nn/parameters.js';
import { chooseVadThreshold } from '../../src/train/vad/evaluate-vad.js';
import { trainVad } from '../../src/train/vad/train-vad.js';
import { vadWeightsModule } from '../../src/train/vad/vad-weights-module.js';
import { SAMPLE_CLIPS } from '../helpers/speech-audio.js';

const clips = SAMPLE_CLIPS.map((c) => loadAudio(c.path, 16000));
const tiny = buildVadSet(clips, 16000, { seed: 2, examples: 3, snrsDb: [Infinity, 10, 0] });
const options = { hidden: 4, epochs: 3, batchFrames: 128 };

describe('VAD network', () => {
  it('has the gradients of central finite differences', () => {
    const backend = new JsBackend();
    const shape = { inputs: 6, hidden: 5 }, rows = 8;
    const params = new Parameters(vadNetParamSpecs(shape), backend);
    const rng = new Random(4);
    params.initialize(() => rng.uniform());
    const net = new VadNet(backend, params, shape);
    const x = new Float32Array(rows * shape.inputs);
    rng.fillNormal(x);
    const targets = Array.from({ length: rows }, (_, i) => i % 2);
    const h = new Float32Array(rows * shape.hidden), logits = new Float32Array(rows);
    const loss = (): number => {
      net.forward(rows, x, h, logits);
      return logisticLoss(logits, targets, null);
    };
    const dLogits = new Float32Array(rows), dh = new Float32Array(rows * shape.hidden);
    net.forward(rows, x, h, logits);
    logisticLoss(logits, targets, dLogits);
    params.zeroGrad();
    net.backward(rows, x, h, dLogits, dh);
    for (let i = 0; i < params.size; i++) {
      const v = params.data[i]!;
      params.data[i] = v + 1e-2;
      const up = loss();
      params.data[i] = v - 1e-2;
      const down = loss();
      params.data[i] = v;
      const numeric = (up - down) / 2e-2;
      assert.ok(Math.abs(numeric - params.grad[i]!) < 2e-3, `parameter ${i}: ${numeric} vs ${params.grad[i]}`);
    }
  });
});

describe('VAD training', () => {
  it('gives the same weights bit for bit from the same seed, others from another, and lowers the loss', () => {
    const a = trainVad(tiny, { seed: 7, ...options });
    const b = trainVad(tiny, { seed: 7, ...options });
    const c = trainVad(tiny, { seed: 8, ...options });
    assert.deepEqual(a.weights.tensors, b.weights.tensors);
    assert.deepEqual(a.losses, b.losses);
    assert.notDeepEqual(a.weights.tensors['hidden.weight'], c.weights.tensors['hidden.weight']);
    assert.ok(a.losses.at(-1)! < a.losses[0]!, `losses ${a.losses.join(', ')}`);
    const { threshold, accuracy } = chooseVadThreshold(a.weights, tiny);
    assert.ok(threshold > 0 && threshold < 1 && accuracy > 0.5, `threshold ${threshold}, accuracy ${accuracy}`);
  });

  it('writes the module the package ships, which holds exactly the trained weights', () => {
    const { weights } = trainVad(tiny, { seed: 7, ...options, epochs: 1 });
    const source = vadWeightsModule(encodeVadWeights(weights, { seed: 7 }));
    const json = JSON.parse(/BUNDLED_VAD_WEIGHTS: VadWeightsJson = ([\s\S]*);\n$/.exec(source)![1]!) as VadWeightsJson;
    assert.deepEqual(decodeVadWeights(json), weights);
    assert.equal(json.provenance?.['seed'], 7);
  });
});
