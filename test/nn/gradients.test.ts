import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearForward, linearBackward } from '../../src/nn/linear.js';
import { LstmStack } from '../../src/nn/lstm-stack.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { randomArray, rng } from '../helpers/compare.js';
import { checkFiniteDifferences, dot } from './finite-diff.js';

const backends = await availableBackends();
for (const be of backends) {
  describe(`finite differences on ${backendLabel(be)}`, () => {
    it('Linear: dW, db and dx', () => {
      const next = rng(3);
      const rows = 5, inF = 7, outF = 4;
      const x = randomArray(rows * inF, next), w = randomArray(outF * inF, next), b = randomArray(outF, next);
      const r = randomArray(rows * outF, next);
      const y = new Float32Array(rows * outF);
      const loss = (): number => {
        linearForward(be, rows, inF, outF, x, w, b, y);
        return dot(y, r);
      };
      const dw = new Float32Array(outF * inF), db = new Float32Array(outF), dx = new Float32Array(rows * inF);
      linearBackward(be, rows, inF, outF, x, w, r, dw, db, dx);
      checkFiniteDifferences('dW', w, dw, loss);
      checkFiniteDifferences('db', b, db, loss);
      checkFiniteDifferences('dx', x, dx, loss);
    });

    for (const [label, cfg, lengths] of [
      ['LSTM, one direction', { inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: false }, [5, 2, 7]],
      ['BiLSTM stack of 3, unsorted lengths with ties', { inputSize: 3, hiddenSize: 4, numLayers: 3, bidirectional: true }, [4, 7, 1, 4]],
      ['latency-controlled BiLSTM stack of 2, chunks of 2 with 1 frame of right context', { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, latencyControl: { chunk: 2, rightContext: 1 } }, [7, 3, 5]],
      ['latency-controlled BiLSTM, right context (3) longer than a chunk (2): a frame read by 3 windows', { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, latencyControl: { chunk: 2, rightContext: 3 } }, [6, 7, 2]],
    ] as const) {
      it(`${label}: every parameter and the input`, () => {
        const next = rng(11);
        const stack = LstmStack.create(cfg, next, be);
        const T = 7, B = lengths.length, F = cfg.inputSize;
        const x = randomArray(T * B * F, next);
        const r = randomArray(T * B * stack.outputSize, next);
        const loss = (): number => dot(stack.forward(x, T, lengths, false), r);
        stack.params.zeroGrad();
        stack.forward(x, T, lengths);
        const dx = stack.backward(r);
        for (const e of stack.params.entries) {
          checkFiniteDifferences(e.name, stack.params.value(e.name), stack.params.gradient(e.name), loss, { count: 12 });
        }
        checkFiniteDifferences('x', x, dx, loss, { count: 40 });
      });
    }

    it('padded frames give zero output, take no gradient and do not influence real frames', () => {
      const next = rng(5);
      const cfg = { inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true };
      const stack = LstmStack.create(cfg, next, be);
      const T = 6, lengths = [3, 6, 0, 5], B = lengths.length, F = 2, O = stack.outputSize;
      const x = randomArray(T * B * F, next);
      const y = stack.forward(x, T, lengths);
      const dx = stack.backward(randomArray(T * B * O, next));
      const x2 = x.slice();
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        if (t < lengths[b]!) continue;
        for (let o = 0; o < O; o++) assert.equal(y[(t * B + b) * O + o], 0, `y[${t},${b},${o}]`);
        for (let f = 0; f < F; f++) {
          assert.equal(dx[(t * B + b) * F + f], 0, `dx[${t},${b},${f}]`);
          x2[(t * B + b) * F + f] = 1e3; // garbage in padding must change nothing
        }
      }
      assert.deepEqual(stack.forward(x2, T, lengths, false), y);
    });
  });
}
