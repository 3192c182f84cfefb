/**
 * The RNN-T model on webgpu (SwiftShader here) against the js backend: the joint network's
 * device kernels against the CPU's loops, three whole training steps (encoder, prediction
 * and joint networks and the RNN-T loss on the device: one read-back a step),
 * and recognition (the encoder on the device, greedy decoding on the host from the weights
 * read back once).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { jointBackward, jointForward } from '../../src/model/transducer-joint.js';
import { jointBackwardDevice, jointForwardDevice } from '../../src/model/transducer-joint-device.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { Trainer } from '../../src/train/trainer.js';
import { readWav } from '../../src/audio/wav-read.js';
import { fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose, assertRelClose, randomArray, rng } from '../helpers/compare.js';
import { assertDeviceSteps } from '../helpers/device-steps.js';
import { SAMPLES, writeTinyModelDir } from '../helpers/tiny-model.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const js = new JsBackend();

/** A 2-layer BiLSTM encoder (frames stacked), a 1-layer prediction network, 6 classes. */
const config = {
  type: 'rnnt' as const, inputDim: 6, hiddenSize: 8, numLayers: 2, numClasses: 6, frameStack: 2, frameStride: 2,
  predEmbedDim: 5, predHiddenSize: 7, jointDim: 9,
};

/** An unsorted batch with padding: T = 11 (6 output frames at most), lengths 7, 11, 4. */
function batch(seed: number): { x: Float32Array; shape: [number, number, number]; lengths: number[]; targets: number[][] } {
  const next = rng(seed);
  return { x: randomArray(11 * 3 * 6, next), shape: [11, 3, 6], lengths: [7, 11, 4], targets: [[1, 2], [3, 3, 5, 1], [4]] };
}

describe('RnntModel on webgpu (SwiftShader)', { skip }, () => {
  it('the joint network on the device gives the CPU loop\'s logits and gradients (padded frames and label positions)', async () => {
    const d = { B: 3, T: 5, U1: 4, J: 7, V: 6 };
    const next = rng(21);
    const frames = Int32Array.from([5, 2, 4]), labels = Int32Array.from([3, 4, 1]);
    const encP = randomArray(d.T * d.B * d.J, next), predP = randomArray(d.B * d.U1 * d.J, next);
    const w = randomArray(d.V * d.J, next), bias = randomArray(d.V, next);
    const dLogits = randomArray(d.B * d.T * d.U1 * d.V, next);
    // the loss gives no gradient outside the lattice: zero there, as rnntLoss writes it
    for (let b = 0; b < d.B; b++) {
      for (let t = 0; t < d.T; t++) {
        for (let u = 0; u < d.U1; u++) if (t >= frames[b]! || u >= labels[b]!) dLogits.fill(0, ((b * d.T + t) * d.U1 + u) * d.V, ((b * d.T + t) * d.U1 + u + 1) * d.V);
      }
    }
    const rows = d.B * d.T * d.U1;
    const want = new Float32Array(rows * d.V);
    jointForward(js, d, frames, labels, encP, predP, w, bias, want, new Float32Array(rows * d.J), new Float32Array(rows * d.V));
    const wantDw = new Float32Array(d.V * d.J), wantDb = new Float32Array(d.V);
    const wantDe = new Float32Array(d.T * d.B * d.J), wantDp = new Float32Array(d.B * d.U1 * d.J);
    jointBackward(js, d, frames, labels, encP, predP, w, dLogits, wantDw, wantDb, wantDe, wantDp,
      new Float32Array(rows * d.J), new Float32Array(rows * d.J), new Float32Array(rows * d.V));

    const g = gpu!, up = (a: Float32Array): Float32Array => onBackend(g, a);
    const [ge, gp, gw, gb] = [encP, predP, w, bias].map(up) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const logits = g.alloc(rows * d.V), hidden = g.alloc(rows * d.J), dHidden = g.alloc(rows * d.J);
    jointForwardDevice(g, d, frames, labels, ge, gp, gw, gb, logits, hidden);
    const got = await fromBackend(g, logits);
    for (let b = 0; b < d.B; b++) {
      for (let t = 0; t < d.T; t++) {
        for (let u = 0; u < d.U1; u++) {
          const r = ((b * d.T + t) * d.U1 + u) * d.V;
          // outside the lattice the device leaves the bias (the CPU zeros): neither is read
          const expect = t < frames[b]! && u < labels[b]! ? want.subarray(r, r + d.V) : bias;
          assertClose(got.subarray(r, r + d.V), expect, 1e-5, `logits b${b} t${t} u${u}`);
        }
      }
    }
    const dw = up(new Float32Array(d.V * d.J)), db = up(new Float32Array(d.V));
    const de = up(new Float32Array(d.T * d.B * d.J).fill(9)), dp = up(new Float32Array(d.B * d.U1 * d.J).fill(9));
    jointBackwardDevice(g, d, frames, labels, ge, gp, gw, up(dLogits), dw, db, de, dp, hidden, dHidden);
    assertClose(await fromBackend(g, dw), wantDw, 1e-5, 'dW_out');
    assertClose(await fromBackend(g, db), wantDb, 1e-5, 'db_out');
    assertClose(await fromBackend(g, de), wantDe, 1e-5, 'dEncP (overwritten, zero at padded frames)');
    assertClose(await fromBackend(g, dp), wantDp, 1e-5, 'dPredP (overwritten, zero past each target)');
  });

  it('trains as the js backend does: loss, gradient norm and weights after three steps, one read-back per step', async () => {
    for (const optimizer of [{ kind: 'sgd' as const, momentum: 0.9 }, { kind: 'adam' as const }]) {
      const opts = { learningRate: optimizer.kind === 'adam' ? 0.01 : 0.05, optimizer, clipNorm: 1 };
      const ref = new Trainer(new RnntModel(config, { backend: js, seed: 4 }), opts);
      const model = new RnntModel(config, { backend: gpu!, seed: 4 });
      const dev = new Trainer(model, opts);
      await assertDeviceSteps(gpu!, ref, dev, [10, 11, 12].map(batch), 1, (want) => 1e-4 * Math.abs(want), `${optimizer.kind} `);
      assertRelClose(await fromBackend(gpu!, model.params.data), ref.model.params.data, 1e-4, `${optimizer.kind} weights`);
    }
  });

  it('transcribes as the js backend does: the encoder\'s output read back once per batch, the weights once', async () => {
    const dir = writeTinyModelDir('tiny-rnnt', (tokenizer) => new RnntModel({
      type: 'rnnt', inputDim: 20, hiddenSize: 16, numLayers: 1, numClasses: tokenizer.size, frameStack: 2, frameStride: 2,
      predEmbedDim: 8, predHiddenSize: 16, jointDim: 16,
    }, { backend: js, seed: 7 }));
    const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
    const want = Recognizer.load(dir, { backend: js }).transcribe(wav.samples, wav.sampleRate);
    assert.ok(want.tokens.length > 0, 'the random model emits something to compare');
    const rec = Recognizer.load(dir, { backend: gpu! });
    assert.throws(() => rec.transcribe(wav.samples, wav.sampleRate), /use transcribeAsync/);
    for (const reads of [2, 1]) {
      const before = gpu!.readBacks;
      const got = await rec.transcribeAsync(wav.samples, wav.sampleRate);
      assert.equal(gpu!.readBacks - before, reads, reads === 2 ? 'first call: weights and encoder output' : 'then: the encoder output');
      assert.equal(got.text, want.text);
      assert.deepEqual(got.tokens, want.tokens);
    }
  });
});
