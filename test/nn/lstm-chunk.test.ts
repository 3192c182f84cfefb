import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Backend, JsBackend } from '../../src/backend/index.js';
import { Random } from '../../src/math/random.js';
import { lstmStackChunk, lstmStackChunks } from '../../src/nn/lstm-chunk.js';
import { LstmStack } from '../../src/nn/lstm-stack.js';
import { lstmStackWeights, lstmZeroState } from '../../src/nn/lstm-step.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertRelClose } from '../helpers/compare.js';

const cfg = { inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: false };
const T = 23;

function setup(backend: Backend): { stack: LstmStack; x: Float32Array; offline: Float32Array } {
  const rng = new Random(3);
  const stack = LstmStack.create(cfg, () => rng.uniform(), backend);
  const x = Float32Array.from({ length: T * cfg.inputSize }, () => rng.normal());
  return { stack, x, offline: stack.forward(x, T, [T], false) };
}

/** The stack run over x in chunks of the given sizes (cycled), state carried between them. */
function chunked(stack: LstmStack, x: Float32Array, sizes: number[]): Float32Array {
  const w = lstmStackWeights(stack.params, '', cfg);
  const out = new Float32Array(T * cfg.hiddenSize);
  let state = lstmZeroState(cfg);
  for (let t = 0, i = 0; t < T; i++) {
    const n = Math.min(T - t, sizes[i % sizes.length]!);
    const r = lstmStackChunk(stack.backend, w, cfg, x.subarray(t * cfg.inputSize), n, state);
    out.set(r.output, t * cfg.hiddenSize);
    state = r.state;
    t += n;
  }
  return out;
}

describe('lstmStackChunk', () => {
  it('gives the offline outputs bit for bit, whatever the chunk sizes (JavaScript backend)', () => {
    const { stack, x, offline } = setup(new JsBackend());
    for (const sizes of [[1], [2], [3, 1, 7], [5], [0, 4], [T]]) {
      assert.deepEqual(chunked(stack, x, sizes), offline, `chunks ${sizes}`);
    }
  });

  it('agrees with the offline forward on every backend', async () => {
    for (const be of await availableBackends()) {
      const { stack, x, offline } = setup(be);
      assertRelClose(chunked(stack, x, [4, 1, 9]), offline, 1e-5, backendLabel(be));
    }
  });

  it('carries the state: the last frame of a chunk is where the next one starts', () => {
    const { stack, x } = setup(new JsBackend());
    const w = lstmStackWeights(stack.params, '', cfg);
    const a = lstmStackChunk(stack.backend, w, cfg, x, 4, lstmZeroState(cfg));
    assert.deepEqual(a.state.h[1], a.output.subarray(3 * cfg.hiddenSize));
    const zero = lstmStackChunk(stack.backend, w, cfg, x, 0, a.state);
    assert.equal(zero.output.length, 0);
    assert.deepEqual(zero.state.h, a.state.h);
  });

  it('runs several sequences together, each as if alone (chunks of different lengths, some empty)', () => {
    const { stack, x } = setup(new JsBackend());
    const w = lstmStackWeights(stack.params, '', cfg);
    const first = lstmStackChunk(stack.backend, w, cfg, x, 5, lstmZeroState(cfg));
    const chunks = [
      { x: x.subarray(5 * cfg.inputSize), n: 7, state: first.state },
      { x, n: 3, state: lstmZeroState(cfg) },
      { x, n: 0, state: first.state },
      { x: x.subarray(2 * cfg.inputSize), n: 11, state: lstmZeroState(cfg) },
    ];
    const together = lstmStackChunks(stack.backend, w, cfg, chunks);
    chunks.forEach((c, i) => assert.deepEqual(together[i], lstmStackChunk(stack.backend, w, cfg, c.x, c.n, c.state), `sequence ${i}`));
  });

  it('refuses a bidirectional stack', () => {
    assert.throws(() => lstmStackChunk(new JsBackend(), [], { ...cfg, bidirectional: true }, new Float32Array(5), 1, lstmZeroState(cfg)), /bidirectional/);
  });
});
