import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LstmStack, lstmStackParamSpecs } from '../../src/nn/lstm-stack.js';
import { Parameters } from '../../src/nn/parameters.js';
import { allBackends, backendLabel, fromBackend, onBackend } from '../helpers/backends.js';
import { assertRelClose } from '../helpers/compare.js';
import { fixtureSets, loadFixture, repoFixtures } from '../helpers/fixtures.js';

interface LstmFixture {
  name: string; T: number; B: number; input_size: number; hidden_size: number; num_layers: number;
  bidirectional: boolean; lengths: number[]; x: number[]; R: number[]; y: number[]; grad_x: number[];
  params: Record<string, { shape: number[]; data: number[]; grad: number[] }>;
}

/** Reorders the batch axis of a [T, B, F] tensor: out[:, j] = x[:, perm[j]]. */
function permuteBatch(x: ArrayLike<number>, T: number, B: number, F: number, perm: number[]): Float32Array {
  const out = new Float32Array(T * B * F);
  for (let t = 0; t < T; t++) for (let j = 0; j < B; j++) for (let f = 0; f < F; f++) {
    out[(t * B + j) * F + f] = x[(t * B + perm[j]!) * F + f]!;
  }
  return out;
}

// Every backend, webgpu included where an adapter exists (SwiftShader here: the repository's
// fixtures in `npm test`, ../shared/fixtures too with SAYRE_WEBGPU_FULL=1). On webgpu the
// inputs go up with upload and the results come back with read; elsewhere both are no-ops.
const backends = await allBackends();
const full = process.env.SAYRE_WEBGPU_FULL === '1';
for (const set of fixtureSets) for (const name of ['uni_1layer', 'bi_2layer']) {
  const fx = loadFixture<LstmFixture>(`lstm/${name}.json`, set);
  const cfg = { inputSize: fx.input_size, hiddenSize: fx.hidden_size, numLayers: fx.num_layers, bidirectional: fx.bidirectional };
  const outF = (fx.bidirectional ? 2 : 1) * fx.hidden_size;
  // identity, then a shuffle that puts the shortest sequence first (exercises the sort)
  const perms = [Array.from({ length: fx.B }, (_, i) => i), Array.from({ length: fx.B }, (_, i) => fx.B - 1 - i)];
  for (const be of backends.filter((b) => !b.onDevice || full || set === repoFixtures)) {
    describe(`LSTM fixture ${set.label} ${name} on ${backendLabel(be)}`, () => {
      for (const perm of perms) {
        it(`matches torch outputs and every gradient within 1e-4 (batch order ${perm.join(',')})`, async () => {
          const params = new Parameters(lstmStackParamSpecs('', cfg), be);
          assert.deepEqual(params.entries.map((e) => e.name).sort(), Object.keys(fx.params).sort());
          for (const e of params.entries) {
            assert.deepEqual(e.shape, fx.params[e.name]!.shape, e.name);
            params.value(e.name).set(fx.params[e.name]!.data);
          }
          params.upload();
          const stack = new LstmStack(be, params, '', cfg);
          const x = onBackend(be, permuteBatch(fx.x, fx.T, fx.B, fx.input_size, perm));
          const lengths = perm.map((j) => fx.lengths[j]!);
          const y = stack.forward(x, fx.T, lengths);
          assertRelClose(await fromBackend(be, y), permuteBatch(fx.y, fx.T, fx.B, outF, perm), 1e-4, 'y');
          const inferred = stack.forward(x, fx.T, lengths, false);
          assertRelClose(await fromBackend(be, inferred), permuteBatch(fx.y, fx.T, fx.B, outF, perm), 1e-4, 'y (inference path)');
          stack.forward(x, fx.T, lengths); // backward follows the last training forward
          params.zeroGrad();
          const dx = stack.backward(onBackend(be, permuteBatch(fx.R, fx.T, fx.B, outF, perm)));
          assertRelClose(await fromBackend(be, dx), permuteBatch(fx.grad_x, fx.T, fx.B, fx.input_size, perm), 1e-4, 'grad_x');
          await be.read(params.grad);
          for (const e of params.entries) assertRelClose(params.gradient(e.name), fx.params[e.name]!.grad, 1e-4, `grad ${e.name}`);
        });
      }
    });
  }
}
