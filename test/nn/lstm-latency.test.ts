import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Backend, JsBackend } from '../../src/backend/index.js';
import { type LatencyControl, chunkPlan } from '../../src/nn/lstm-latency-plan.js';
import { latencyStackChunks, latencyStackWeights, latencyZeroState, type LatencyStreamState } from '../../src/nn/lstm-latency-stream.js';
import { LstmStack, type LstmStackConfig, lstmStackParamSpecs } from '../../src/nn/lstm-stack.js';
import { packedLayout } from '../../src/nn/packing.js';
import { Parameters } from '../../src/nn/parameters.js';
import { allBackends, availableBackends, backendLabel, fromBackend, onBackend } from '../helpers/backends.js';
import { assertRelClose, randomArray, rng } from '../helpers/compare.js';
import { latencyStackReference } from './lstm-latency-reference.js';

const cpuBackends = await availableBackends(), everyBackend = await allBackends();

const base: LstmStackConfig = { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true };
const T = 11, lengths = [9, 4, 11, 1], B = lengths.length;

/** A latency-controlled stack and the plain BiLSTM stack over the same parameters, and a padded input [T, B, inputSize]. */
function setup(be: Backend, lc: LatencyControl): { lcStack: LstmStack; biStack: LstmStack; x: Float32Array } {
  const next = rng(7);
  const params = new Parameters(lstmStackParamSpecs('lstm.', base), be);
  params.initialize(next);
  params.upload();
  return {
    lcStack: new LstmStack(be, params, 'lstm.', { ...base, latencyControl: lc }),
    biStack: new LstmStack(be, params, 'lstm.', base),
    x: randomArray(T * B * base.inputSize, next),
  };
}

/** Sequence b's frames of a padded [T, B, F] tensor. */
function framesOf(x: ArrayLike<number>, b: number, L: number, F: number): number[][] {
  return Array.from({ length: L }, (_, t) => Array.from({ length: F }, (_, f) => x[(t * B + b) * F + f]!));
}

describe('latency-controlled LSTM stack', () => {
  it('has the bidirectional stack\'s parameters, named and shaped as torch.nn.LSTM\'s (weight_hh_l1_reverse, ...)', () => {
    const lc = lstmStackParamSpecs('lstm.', { ...base, latencyControl: { chunk: 2, rightContext: 1 } });
    assert.deepEqual(lc, lstmStackParamSpecs('lstm.', base));
    const shapes = Object.fromEntries(lc.map((s) => [s.name, s.shape]));
    assert.deepEqual(shapes['lstm.weight_ih_l0_reverse'], [16, 3]);
    assert.deepEqual(shapes['lstm.weight_ih_l1_reverse'], [16, 8]);
    assert.deepEqual(shapes['lstm.weight_hh_l1_reverse'], [16, 4]);
    assert.deepEqual(shapes['lstm.bias_hh_l1'], [16]);
  });

  for (const be of cpuBackends) {
    it(`equals the slow reference of its definition for several chunk and right-context sizes (${backendLabel(be)})`, () => {
      for (const lc of [{ chunk: 1, rightContext: 0 }, { chunk: 3, rightContext: 2 }, { chunk: 2, rightContext: 5 }, { chunk: 4, rightContext: 0 }, { chunk: 5, rightContext: 1 }]) {
        const { lcStack, x } = setup(be, lc);
        for (const train of [true, false]) {
          const y = lcStack.forward(x, T, lengths, train);
          const O = lcStack.outputSize;
          lengths.forEach((L, b) => {
            const want = latencyStackReference(lcStack.params, 'lstm.', base, lc, framesOf(x, b, L, base.inputSize)).flat();
            assertRelClose(framesOf(y, b, L, O).flat(), want, 1e-5, `chunk ${lc.chunk}, right context ${lc.rightContext}, sequence ${b}, train ${train}`);
          });
        }
      }
    });
  }

  for (const be of everyBackend) {
    it(`with a chunk as long as the batch is the ordinary BiLSTM, output and every gradient (${backendLabel(be)})`, async () => {
      for (const lc of [{ chunk: T, rightContext: 0 }, { chunk: 20, rightContext: 3 }]) {
        const { lcStack, biStack, x } = setup(be, lc);
        const xs = onBackend(be, x), r = onBackend(be, randomArray(T * B * biStack.outputSize, rng(9)));
        const grads = async (stack: LstmStack): Promise<Float32Array[]> => {
          stack.params.zeroGrad();
          stack.forward(xs, T, lengths);
          const dx = await fromBackend(be, stack.backward(r));
          return [dx, await fromBackend(be, stack.params.grad)];
        };
        const [want, got] = [await grads(biStack), await grads(lcStack)];
        const y = [await fromBackend(be, biStack.forward(xs, T, lengths, false)), await fromBackend(be, lcStack.forward(xs, T, lengths, false))];
        const what = `chunk ${lc.chunk}, right context ${lc.rightContext}`;
        // the same products over the same rows: equal outputs bit for bit in JavaScript; the input
        // gradient's two directions are summed in another order (a GEMM's accumulation, an axpy)
        if (be.name === 'js') assert.deepEqual(y[1], y[0], `${what}: output`);
        else assertRelClose(y[1]!, y[0]!, 1e-6, `${what}: output`);
        assertRelClose(got[0]!, want[0]!, 1e-6, `${what}: dx`);
        assertRelClose(got[1]!, want[1]!, 1e-6, `${what}: parameter gradients`);
      }
    });
  }

  it('windows: each frame in its own chunk\'s window and the windows of up to ceil(R / C) chunks before', () => {
    const layout = packedLayout(7, [7, 2, 5]);
    const plan = chunkPlan(layout, { chunk: 2, rightContext: 3 });
    // windows in the batch's sorted order: [0,5) [2,7) [4,7) [6,7) of the 7-frame sequence; [0,5) [2,5) [4,5) of the 5; [0,2) of the 2
    assert.deepEqual([...plan.layout.lengths], [5, 5, 3, 1, 5, 3, 1, 2]);
    assert.equal(plan.passes.length, 3);
    assert.equal(plan.gather.length, 25);
    const reads = new Int32Array(layout.total);
    for (const row of plan.gather) reads[row]!++;
    for (const pass of plan.passes) for (const [row, w] of pass.entries()) if (w >= 0) assert.equal(plan.gather[w], row);
    const count = (row: number): number => plan.passes.filter((p) => p[row]! >= 0).length;
    for (let row = 0; row < layout.total; row++) assert.equal(count(row), reads[row], `row ${row}`);
    for (let row = 0; row < layout.total; row++) assert.equal(plan.ownOf[plan.own[row]!], row);
    assert.equal([...plan.ownOf].filter((r) => r >= 0).length, layout.total);
  });

  it('refuses latency control without a reverse direction, and chunks that are not positive integers', () => {
    const make = (cfg: LstmStackConfig): LstmStack => LstmStack.create(cfg, rng(1), new JsBackend());
    assert.throws(() => make({ ...base, bidirectional: false, latencyControl: { chunk: 2, rightContext: 1 } }), /LSTM config: "latencyControl" needs "bidirectional": true/);
    assert.throws(() => make({ ...base, latencyControl: { chunk: 0, rightContext: 1 } }), /"latencyControl.chunk" must be an integer >= 1/);
    assert.throws(() => make({ ...base, latencyControl: { chunk: 2, rightContext: -1 } }), /"latencyControl.rightContext" must be an integer >= 0/);
    assert.throws(() => make({ ...base, latencyControl: { chunk: 1.5, rightContext: 0 } }), /"latencyControl.chunk" must be an integer >= 1/);
  });
});

/** One sequence through latencyStackChunks in pieces of the given sizes (cycled), then the end; returns the rows in order. */
function streamed(be: Backend, stack: LstmStack, lc: LatencyControl, x: Float32Array, L: number, sizes: readonly number[]): Float32Array {
  const F = base.inputSize, O = stack.outputSize, cfg = { ...base, latencyControl: lc };
  const weights = latencyStackWeights(stack.params, 'lstm.', cfg);
  const out = new Float32Array(L * O);
  let state: LatencyStreamState = latencyZeroState(cfg), got = 0;
  for (let t = 0, i = 0; t < L || i === 0; i++) {
    const n = Math.min(L - t, sizes[i % sizes.length]!), end = t + n === L && i % 3 !== 0;
    const [r] = latencyStackChunks(be, weights, cfg, lc, [{ x: x.subarray(t * F, (t + n) * F), n, state, end }]);
    out.set(r!.output, got * O);
    got += r!.frames;
    state = r!.state;
    t += n;
    if (end) break;
  }
  if (got < L) {
    const [r] = latencyStackChunks(be, weights, cfg, lc, [{ x: new Float32Array(0), n: 0, state, end: true }]);
    out.set(r!.output, got * O);
    got += r!.frames;
  }
  assert.equal(got, L, 'every frame comes out once');
  return out;
}

describe('latency-controlled LSTM stack, streamed (latencyStackChunks)', () => {
  const lcs = [{ chunk: 3, rightContext: 2 }, { chunk: 2, rightContext: 5 }, { chunk: 1, rightContext: 0 }, { chunk: 4, rightContext: 4 }];
  const sizes = [[1], [2], [3, 1, 7], [5], [0, 4], [T]];

  it('gives the offline outputs bit for bit, whatever the pieces (JavaScript backend)', () => {
    const be = new JsBackend();
    for (const lc of lcs) {
      const { lcStack, x } = setup(be, lc);
      const y = lcStack.forward(x, T, lengths, false);
      const O = lcStack.outputSize;
      for (const [b, L] of lengths.entries()) {
        const xb = Float32Array.from(framesOf(x, b, L, base.inputSize).flat());
        const want = Float32Array.from(framesOf(y, b, L, O).flat());
        for (const s of sizes) assert.deepEqual(streamed(be, lcStack, lc, xb, L, s), want, `chunk ${lc.chunk}, right context ${lc.rightContext}, sequence ${b}, pieces ${s}`);
      }
    }
  });

  it('agrees with the offline forward on every backend', () => {
    for (const be of cpuBackends) {
      const lc = { chunk: 3, rightContext: 2 };
      const { lcStack, x } = setup(be, lc);
      const y = lcStack.forward(x, T, lengths, false);
      const L = lengths[2]!;
      const xb = Float32Array.from(framesOf(x, 2, L, base.inputSize).flat());
      assertRelClose(streamed(be, lcStack, lc, xb, L, [4, 1, 2]), Float32Array.from(framesOf(y, 2, L, lcStack.outputSize).flat()), 1e-5, backendLabel(be));
    }
  });

  it('emits a chunk only once its right context has arrived, through every layer', () => {
    const be = new JsBackend(), lc = { chunk: 3, rightContext: 2 };
    const { lcStack, x } = setup(be, lc);
    const cfg = { ...base, latencyControl: lc };
    const weights = latencyStackWeights(lcStack.params, 'lstm.', cfg);
    let state = latencyZeroState(cfg);
    const emitted: number[] = [];
    for (let t = 0; t < T; t++) {
      const [r] = latencyStackChunks(be, weights, cfg, lc, [{ x: x.subarray(t * 3 * B, t * 3 * B + 3), n: 1, state, end: false }]);
      emitted.push(r!.frames);
      state = r!.state;
    }
    // layer 0 emits chunk c at input frame 3c + 4; layer 1 then needs its frames to 3c + 4, i.e. layer 0's chunk c + 1:
    // chunk c leaves the stack at input frame 3(c + 1) + 4 = 3c + 7, within L*C + R - 1 = 7 frames of its first frame
    assert.deepEqual(emitted, [0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 3]);
    const [last] = latencyStackChunks(be, weights, cfg, lc, [{ x: new Float32Array(0), n: 0, state, end: true }]);
    assert.equal(last!.frames, T - 6);
  });

  it('runs several sequences together, each as if alone', () => {
    const be = new JsBackend(), lc = { chunk: 2, rightContext: 3 };
    const { lcStack, x } = setup(be, lc);
    const cfg = { ...base, latencyControl: lc };
    const weights = latencyStackWeights(lcStack.params, 'lstm.', cfg);
    const xb = lengths.map((L, b) => Float32Array.from(framesOf(x, b, L, base.inputSize).flat()));
    const first = latencyStackChunks(be, weights, cfg, lc, [{ x: xb[2]!, n: 6, state: latencyZeroState(cfg), end: false }])[0]!;
    const chunks = [
      { x: xb[2]!.subarray(6 * 3), n: 5, state: first.state, end: false },
      { x: xb[0]!, n: 9, state: latencyZeroState(cfg), end: true },
      { x: xb[1]!, n: 0, state: first.state, end: true },
      { x: xb[3]!, n: 1, state: latencyZeroState(cfg), end: false },
    ];
    const together = latencyStackChunks(be, weights, cfg, lc, chunks);
    chunks.forEach((c, i) => assert.deepEqual(together[i], latencyStackChunks(be, weights, cfg, lc, [c])[0], `sequence ${i}`));
  });
});
