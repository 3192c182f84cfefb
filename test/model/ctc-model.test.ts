import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCtcModelConfig, resolveCtcModelConfig } from '../../src/model/config.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { stackFramesBackward, stackFramesForward } from '../../src/model/frame-stacking.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertRelClose, randomArray, rng } from '../helpers/compare.js';
import { checkFiniteDifferences, dot } from '../nn/finite-diff.js';

describe('CTC model config', () => {
  it('fills defaults and rejects bad fields by name', () => {
    const c = resolveCtcModelConfig({ inputDim: 80, hiddenSize: 256, numLayers: 3, numClasses: 29 });
    assert.deepEqual(c, { inputDim: 80, hiddenSize: 256, numLayers: 3, numClasses: 29, bidirectional: true, frameStack: 1, frameStride: 1, blank: 0 });
    assert.throws(() => resolveCtcModelConfig({ inputDim: 80, hiddenSize: 256, numLayers: 3 }), /numClasses/);
    assert.throws(() => resolveCtcModelConfig({ inputDim: 80, hiddenSize: 2.5, numLayers: 3, numClasses: 5 }), /hiddenSize/);
    assert.throws(() => resolveCtcModelConfig({ inputDim: 8, hiddenSize: 2, numLayers: 1, numClasses: 5, hidden: 3 }), /unknown field "hidden"/);
    assert.throws(() => resolveCtcModelConfig({ inputDim: 8, hiddenSize: 2, numLayers: 1, numClasses: 5, blank: 5 }), /blank/);
    assert.throws(() => resolveCtcModelConfig('{}'), /JSON object/);
    assert.equal(parseCtcModelConfig('{"inputDim": 4, "hiddenSize": 2, "numLayers": 1, "numClasses": 3}').hiddenSize, 2);
    assert.throws(() => parseCtcModelConfig('{"inputDim": 4,', 'a.json'), /^Error: a.json: not valid JSON/);
    assert.throws(() => parseCtcModelConfig('{"inputDim": 0}', 'a.json'), /^Error: a.json: "inputDim" must be an integer >= 1/);
  });
});

describe('frame stacking', () => {
  it('concatenates stack frames every stride frames, zero past the end, and its backward is the adjoint', () => {
    const T = 7, B = 2, F = 2, lengths = [7, 4], k = 3, s = 2;
    const x = Float32Array.from({ length: T * B * F }, (_, i) => i + 1);
    const T2 = Math.ceil(T / s);
    const y = new Float32Array(T2 * B * k * F);
    stackFramesForward(x, T, B, F, lengths, k, s, y);
    const frame = (t: number, b: number): number[] => [x[(t * B + b) * F]!, x[(t * B + b) * F + 1]!];
    // sequence 1 (length 4): output frame 1 = input frames 2, 3 and (past the end) zeros
    assert.deepEqual([...y.subarray((1 * B + 1) * 6, (1 * B + 2) * 6)], [...frame(2, 1), ...frame(3, 1), 0, 0]);
    // output frame 2 of sequence 1 is padding: ceil(4 / 2) = 2 frames
    assert.deepEqual([...y.subarray((2 * B + 1) * 6, (2 * B + 2) * 6)], [0, 0, 0, 0, 0, 0]);
    const next = rng(1);
    const dy = randomArray(y.length, next);
    const dx = new Float32Array(x.length);
    stackFramesBackward(dy, T, B, F, lengths, k, s, dx);
    // <stack(x), dy> = <x, stack^T(dy)>
    assert.ok(Math.abs(dot(y, dy) - dot(x, dx)) < 1e-3);
  });
});

const backends = await availableBackends();
for (const be of backends) {
  describe(`CTC model on ${backendLabel(be)}`, () => {
    const config = { inputDim: 3, hiddenSize: 4, numLayers: 2, numClasses: 5, frameStack: 2, frameStride: 2 };

    it('names parameters as PyTorch would and draws the same weights from the same seed', () => {
      const a = new CtcModel(config, { backend: be, seed: 7 });
      const names = a.params.entries.map((e) => e.name);
      assert.deepEqual(names.slice(0, 4), ['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0']);
      assert.ok(names.includes('lstm.weight_ih_l1_reverse'));
      assert.deepEqual(names.slice(-2), ['fc.weight', 'fc.bias']);
      assert.deepEqual(a.params.entry('lstm.weight_ih_l0').shape, [16, 6]);
      assert.deepEqual(a.params.entry('lstm.weight_ih_l1').shape, [16, 8]);
      assert.deepEqual(a.params.entry('fc.weight').shape, [5, 8]);
      const b = new CtcModel(config, { backend: be, seed: 7 });
      assert.deepEqual(b.params.data, a.params.data);
      const c = new CtcModel(config, { backend: be, seed: 8 });
      assert.notDeepEqual(c.params.data, a.params.data);
      const bound = 1 / Math.sqrt(4);
      for (const v of a.params.value('lstm.weight_hh_l0')) assert.ok(Math.abs(v) <= bound);
    });

    it('logits match finite differences for every parameter; inference equals training forward', () => {
      const model = new CtcModel(config, { backend: be, seed: 3 });
      const next = rng(4);
      const T = 7, B = 3, lengths = [5, 7, 2];
      const x = randomArray(T * B * 3, next);
      const out = model.forward(x, [T, B, 3], lengths);
      assert.deepEqual(out.shape, [4, 3, 5]);
      assert.deepEqual([...out.lengths], [3, 4, 1]);
      assert.deepEqual(model.infer(x, [T, B, 3], lengths).logits, out.logits);
      const r = randomArray(out.logits.length, next);
      model.params.zeroGrad();
      model.forward(x, [T, B, 3], lengths);
      model.infer(randomArray(T * B * 3, next), [T, B, 3], [7, 7, 7]); // must not disturb the saved state
      model.backward(r);
      const loss = (): number => dot(model.infer(x, [T, B, 3], lengths).logits, r);
      for (const e of model.params.entries) {
        checkFiniteDifferences(e.name, model.params.value(e.name), model.params.gradient(e.name), loss, { count: 8 });
      }
    });

    it('dispose gives the buffers back and a new model runs in the freed memory', () => {
      const x = randomArray(4 * 2 * 3, rng(2));
      const first = new CtcModel(config, { backend: be, seed: 1 });
      const expected = first.infer(x, [4, 2, 3], [4, 3]).logits;
      first.forward(x, [4, 2, 3], [4, 3]);
      first.dispose();
      for (let i = 0; i < 3; i++) {
        const again = new CtcModel(config, { backend: be, seed: 1 });
        assert.deepEqual(again.infer(x, [4, 2, 3], [4, 3]).logits, expected);
        again.dispose();
      }
    });

    it('rejects inputs that do not fit', () => {
      const model = new CtcModel(config, { backend: be });
      assert.throws(() => model.forward(new Float32Array(12), [2, 2, 3], [2, 3]), /lengths\[1\] = 3/);
      assert.throws(() => model.forward(new Float32Array(12), [2, 2, 4], [2, 2]), /features per frame/);
      const bad = new Float32Array(12);
      bad[7] = NaN;
      assert.throws(() => model.forward(bad, [2, 2, 3], [2, 2]), /not finite at \[t=1, b=0, f=1\]/);
      assert.throws(() => new CtcModel(config, { backend: be }).backward(new Float32Array(1)), /no training forward/);
    });
  });
}

describe('backends agree on the same model', () => {
  it('logits and every gradient match the JS reference within 1e-4 relative', () => {
    const cfg = { inputDim: 10, hiddenSize: 24, numLayers: 2, numClasses: 7, frameStack: 2, frameStride: 1 };
    const next = rng(21);
    const T = 30, B = 5, lengths = [30, 12, 25, 1, 30];
    const x = randomArray(T * B * 10, next);
    const r = randomArray(T * B * 7, next);
    const run = (be: (typeof backends)[number]): { logits: Float32Array; grad: Float32Array } => {
      const model = new CtcModel(cfg, { backend: be, seed: 5 });
      model.params.zeroGrad();
      const out = model.forward(x, [T, B, 10], lengths);
      model.backward(r);
      return { logits: out.logits, grad: model.params.grad.slice() };
    };
    const ref = run(backends[0]!);
    for (const be of backends.slice(1)) {
      const got = run(be);
      assertRelClose(got.logits, ref.logits, 1e-4, `${backendLabel(be)} logits`);
      const model = new CtcModel(cfg, { backend: be, seed: 5 });
      for (const e of model.params.entries) {
        assertRelClose(got.grad.subarray(e.offset, e.offset + e.size), ref.grad.subarray(e.offset, e.offset + e.size), 1e-4, `${backendLabel(be)} ${e.name}`);
      }
    }
  });
});
