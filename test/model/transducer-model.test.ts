import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { resolveCtcModelConfig } from '../../src/model/config.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { createModel, modelKind } from '../../src/model/model-kind.js';
import { resolveTransducerModelConfig } from '../../src/model/transducer-config.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { randomArray, rng } from '../helpers/compare.js';
import { repoRoot } from '../helpers/fixtures.js';
import { checkFiniteDifferences } from '../nn/finite-diff.js';

describe('RNN-T model config', () => {
  it('fills defaults, rejects bad fields by name, and the type picks the model', () => {
    const c = resolveTransducerModelConfig({ type: 'rnnt', inputDim: 8, hiddenSize: 16, numLayers: 2, numClasses: 5 });
    assert.deepEqual(c, {
      type: 'rnnt', inputDim: 8, hiddenSize: 16, numLayers: 2, numClasses: 5, bidirectional: true, frameStack: 1, frameStride: 1,
      blank: 0, predEmbedDim: 64, predHiddenSize: 16, predNumLayers: 1, jointDim: 16,
    });
    assert.throws(() => resolveTransducerModelConfig({ type: 'rnnt', inputDim: 8, hiddenSize: 16, numLayers: 2 }), /numClasses/);
    assert.throws(() => resolveTransducerModelConfig({ type: 'rnnt', inputDim: 8, hiddenSize: 16, numLayers: 2, numClasses: 5, joint: 3 }), /unknown field "joint"/);
    assert.throws(() => resolveTransducerModelConfig({ type: 'rnnt', inputDim: 8, hiddenSize: 16, numLayers: 2, numClasses: 5, jointDim: 0 }), /jointDim/);
    assert.throws(() => resolveTransducerModelConfig({ inputDim: 8 }), /"type": "rnnt"/);
    // CTC configs may say "type": "ctc" (not kept), and nothing else
    assert.deepEqual(resolveCtcModelConfig({ type: 'ctc', inputDim: 2, hiddenSize: 2, numLayers: 1, numClasses: 3 }),
      resolveCtcModelConfig({ inputDim: 2, hiddenSize: 2, numLayers: 1, numClasses: 3 }));
    assert.throws(() => resolveCtcModelConfig({ type: 'rnnt', inputDim: 2, hiddenSize: 2, numLayers: 1, numClasses: 3 }), /"type"/);
    assert.equal(modelKind({ type: 'rnnt' }), 'rnnt');
    assert.equal(modelKind({ inputDim: 3 }), 'ctc');
    assert.ok(createModel({ type: 'rnnt', inputDim: 2, hiddenSize: 2, numLayers: 1, numClasses: 3 }) instanceof RnntModel);
    assert.ok(createModel({ inputDim: 2, hiddenSize: 2, numLayers: 1, numClasses: 3 }) instanceof CtcModel);
  });
});

interface TransducerFixture {
  config: Record<string, unknown>;
  x: number[]; shape: [number, number, number]; lengths: number[]; targets: number[][];
  logits: number[]; logitsShape: [number, number, number, number]; upstream: number[];
  params: Record<string, number[]>; grads: Record<string, number[]>;
}

const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/model/fixtures/transducer.json'), 'utf8')) as TransducerFixture;

function closeTo(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 1e-3;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol * scale, `${what}[${i}]: ${got[i]} vs ${want[i]} (scale ${scale})`);
  }
}

for (const be of await availableBackends()) {
  describe(`RNN-T model on ${backendLabel(be)}`, () => {
    it('matches PyTorch (float64): joint logits and every parameter gradient of sum(logits * G)', () => {
      const m = new RnntModel(resolveTransducerModelConfig(fixture.config), { backend: be });
      assert.deepEqual(m.params.entries.map((e) => e.name).sort(), Object.keys(fixture.params).sort());
      for (const [name, v] of Object.entries(fixture.params)) m.params.value(name).set(v);
      m.params.zeroGrad();
      const out = m.forward(Float32Array.from(fixture.x), fixture.shape, fixture.lengths, true);
      const pred = m.predictionForward(fixture.targets, true);
      const pass = m.jointLogits(out.logits, out.shape, out.lengths, pred);
      assert.deepEqual([pass.dims.B, pass.dims.T, pass.dims.U1, pass.dims.V], fixture.logitsShape);
      // compare inside each sequence's frames and label positions (the rest is padding)
      const [B, T, U1, V] = fixture.logitsShape;
      const masked = Float32Array.from(pass.logits, (z, i) => {
        const u = Math.floor(i / V) % U1, t = Math.floor(i / (V * U1)) % T, b = Math.floor(i / (V * U1 * T));
        return t < fixture.lengths[b]! && u <= fixture.targets[b]!.length ? z : 0;
      });
      closeTo('logits', masked, fixture.logits, 1e-5);
      void B;
      m.backward(m.jointBackward(pass, Float32Array.from(fixture.upstream)));
      for (const [name, g] of Object.entries(fixture.grads)) closeTo(`d ${name}`, m.params.gradient(name), g, 1e-4);
    });

    it('steps the prediction and joint networks one label at a time as the batch pass computes them', () => {
      const m = new RnntModel(resolveTransducerModelConfig(fixture.config), { backend: be });
      for (const [name, v] of Object.entries(fixture.params)) m.params.value(name).set(v);
      const enc = m.encode(Float32Array.from(fixture.x), fixture.shape, fixture.lengths);
      const [, T, U1, V] = fixture.logitsShape;
      fixture.targets.forEach((y, b) => {
        assert.equal(enc[b]!.frames, fixture.lengths[b]);
        let step = m.predict(m.startLabel, m.initialState());
        for (let u = 0; u <= y.length; u++) {
          for (let t = 0; t < enc[b]!.frames; t++) {
            const z = m.joint(enc[b]!.data.subarray(t * enc[b]!.dim, (t + 1) * enc[b]!.dim), step.output);
            const off = ((b * T + t) * U1 + u) * V;
            closeTo(`joint b=${b} t=${t} u=${u}`, z, fixture.logits.slice(off, off + V), 1e-5);
          }
          if (u < y.length) step = m.predict(y[u]!, step.state);
        }
      });
      // jointBatch agrees with joint row by row
      const p1 = m.predict(m.startLabel, m.initialState()), p2 = m.predict(2, p1.state);
      const frame = enc[0]!.data.subarray(0, enc[0]!.dim);
      const zb = m.jointBatch(frame, [p1.output, p2.output]).slice();
      closeTo('jointBatch row 0', zb.subarray(0, V), m.joint(frame, p1.output).slice(), 1e-6);
      closeTo('jointBatch row 1', zb.subarray(V), m.joint(frame, p2.output).slice(), 1e-6);
    });
  });
}

describe('RNN-T model gradients', () => {
  it('match finite differences of the RNN-T loss through encoder (stacked frames), prediction and joint networks', () => {
    const be = new JsBackend();
    const m = new RnntModel({
      type: 'rnnt', inputDim: 3, hiddenSize: 3, numLayers: 2, numClasses: 4, frameStack: 2, frameStride: 2,
      predEmbedDim: 3, predHiddenSize: 3, predNumLayers: 2, jointDim: 5, blank: 1,
    }, { backend: be, seed: 3 });
    const T = 9, B = 3, F = 3;
    const lengths = [9, 6, 3];
    const x = randomArray(T * B * F, rng(5));
    const targets = [[0, 2, 3], [3, 3], []];
    const objective = m.objective({ reduction: 'sum' });
    m.params.zeroGrad();
    const out = m.forward(x, [T, B, F], lengths, true);
    const r = objective(out.logits, out.shape, targets, out.lengths);
    assert.ok(r.grad && Number.isFinite(r.loss));
    m.backward(r.grad);
    const lossOnly = (): number => {
      const y = m.infer(x, [T, B, F], lengths);
      const res = objective(y.logits, y.shape, targets, y.lengths);
      assert.equal(res.grad, undefined); // an inference forward gives the loss only
      return res.loss;
    };
    assert.ok(Math.abs(lossOnly() - r.loss) < 1e-5 * Math.abs(r.loss));
    for (const e of m.params.entries) {
      checkFiniteDifferences(e.name, m.params.value(e.name), m.params.gradient(e.name), lossOnly, { eps: 1e-2, tol: 5e-3, count: 4 });
    }
  });
});
