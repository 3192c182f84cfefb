import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clipGradNorm, gradNorm } from '../../src/train/clip.js';
import { EarlyStopping } from '../../src/train/early-stopping.js';
import { Adam, Sgd, optimizerFromState } from '../../src/train/optimizers.js';
import { learningRate } from '../../src/train/schedule.js';
import { assertClose } from '../helpers/compare.js';

describe('optimisers', () => {
  it('SGD with momentum follows torch.optim.SGD (v = g first, then mu v + g)', () => {
    const p = Float32Array.from([1, -2]);
    const opt = new Sgd({ momentum: 0.9 });
    opt.step(p, Float32Array.from([0.5, 1]), 0.1); // v = g
    assertClose(p, [0.95, -2.1], 1e-7);
    opt.step(p, Float32Array.from([0.5, 1]), 0.1); // v = 0.9 * g + g
    assertClose(p, [0.95 - 0.1 * 0.95, -2.1 - 0.1 * 1.9], 1e-6);
    const plain = Float32Array.from([1]);
    new Sgd().step(plain, Float32Array.from([2]), 0.25);
    assert.equal(plain[0], 0.5);
  });

  it('Adam follows torch.optim.Adam (float64 reference)', () => {
    const p = Float32Array.from([0.3, -1.2, 2]);
    const grads = [[0.1, -0.5, 2], [0.2, 0.1, -1], [-0.3, 0.4, 0.5]];
    const opt = new Adam();
    const ref = [...p].map(Number);
    const m = [0, 0, 0], v = [0, 0, 0];
    grads.forEach((g, k) => {
      opt.step(p, Float32Array.from(g), 0.01);
      for (let i = 0; i < 3; i++) {
        m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
        v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
        const mh = m[i]! / (1 - 0.9 ** (k + 1)), vh = v[i]! / (1 - 0.999 ** (k + 1));
        ref[i] = ref[i]! - (0.01 * mh) / (Math.sqrt(vh) + 1e-8);
      }
    });
    assertClose(p, ref, 1e-6);
  });

  it('state round-trips: a restored optimiser continues identically', () => {
    for (const make of [() => new Sgd({ momentum: 0.9, nesterov: true }), () => new Adam({ beta1: 0.8 })]) {
      const a = make();
      const pa = Float32Array.from([1, 2, 3]), g = Float32Array.from([0.1, -0.2, 0.3]);
      a.step(pa, g, 0.1);
      const b = optimizerFromState(a.state());
      const pb = pa.slice();
      a.step(pa, g, 0.1);
      b.step(pb, g, 0.1);
      assert.deepEqual(pb, pa);
    }
  });

  it('rejects bad settings', () => {
    assert.throws(() => new Sgd({ momentum: 1 }), /momentum/);
    assert.throws(() => new Adam({ beta2: -0.1 }), /beta2/);
    assert.throws(() => new Sgd().step(new Float32Array(2), new Float32Array(3), 0.1), /2 parameters but 3/);
    assert.throws(() => new Sgd().step(new Float32Array(2), new Float32Array(2), NaN), /learning rate/);
  });
});

describe('gradient clipping', () => {
  it('scales to the maximum norm and leaves small gradients alone', () => {
    const g = Float32Array.from([3, 4]);
    assert.equal(clipGradNorm(g, 1), 5);
    assertClose(g, [0.6, 0.8], 1e-6);
    const small = Float32Array.from([0.3, 0.4]);
    assert.ok(Math.abs(clipGradNorm(small, 1) - 0.5) < 1e-7);
    assert.deepEqual(small, Float32Array.from([0.3, 0.4]));
    const bad = Float32Array.from([NaN, 1]);
    assert.ok(Number.isNaN(clipGradNorm(bad, 1)));
    assert.ok(Number.isNaN(gradNorm(bad)));
  });
});

describe('learning-rate schedules', () => {
  it('constant, step, exponential, cosine and warm-up', () => {
    assert.equal(learningRate({ kind: 'constant' }, 0.1, 50), 0.1);
    assert.equal(learningRate({ kind: 'step', stepSize: 10, gamma: 0.5 }, 1, 25), 0.25);
    assert.ok(Math.abs(learningRate({ kind: 'exponential', gamma: 0.9 }, 1, 2) - 0.81) < 1e-12);
    const cos = { kind: 'cosine', totalSteps: 100, minLr: 0.01 } as const;
    assert.equal(learningRate(cos, 1, 0), 1);
    assert.ok(Math.abs(learningRate(cos, 1, 50) - 0.505) < 1e-12);
    assert.equal(learningRate(cos, 1, 500), 0.01);
    const warm = { kind: 'warmup', warmupSteps: 3, then: { kind: 'step', stepSize: 2, gamma: 0.1 } } as const;
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((s) => +learningRate(warm, 1, s).toFixed(6)), [0.25, 0.5, 0.75, 1, 1, 0.1]);
  });
});

describe('early stopping', () => {
  it('stops after `patience` evaluations without improvement and returns to the best weights', () => {
    const es = new EarlyStopping({ patience: 2, mode: 'min' });
    const w = Float32Array.from([0]);
    const scores = [5, 3, 4, 3.5, 1];
    const decisions: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      w[0] = i;
      es.update(scores[i]!, w);
      decisions.push(es.shouldStop);
    }
    assert.deepEqual(decisions, [false, false, false, true]);
    assert.equal(es.best, 3);
    assert.equal(es.bestEpoch, 1);
    es.restoreBest(w);
    assert.equal(w[0], 1);
    const again = EarlyStopping.fromState(es.state(), es.bestWeights);
    assert.equal(again.shouldStop, true);
    assert.equal(again.update(1, w), true);
    assert.equal(again.shouldStop, false);
    const max = new EarlyStopping({ patience: 1, mode: 'max' });
    max.update(0.5, w);
    max.update(NaN, w);
    assert.equal(max.shouldStop, true);
  });
});
