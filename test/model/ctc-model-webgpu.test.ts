/**
 * The CTC model on webgpu (SwiftShader here) against the js backend: inference, a whole
 * training step on the device with one read-back, and recognition with one read-back per
 * batch. The same layer code runs on both; only the backend differs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { Trainer } from '../../src/train/trainer.js';
import { readWav } from '../../src/audio/wav-read.js';
import { fromBackend } from '../helpers/backends.js';
import { assertClose } from '../helpers/compare.js';
import { assertDeviceSteps } from '../helpers/device-steps.js';
import { SAMPLES, makeTinyModelDir } from '../helpers/tiny-model.js';
import { TINY_CTC_CONFIG, tinyCtcBatch } from '../helpers/tiny-ctc-batch.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const js = new JsBackend();
const config = TINY_CTC_CONFIG;
const batch = tinyCtcBatch;

describe('CtcModel on webgpu (SwiftShader)', { skip }, () => {
  it('infers the logits of the js backend, reading back once', async () => {
    const b = batch(1);
    const want = new CtcModel(config, { backend: js, seed: 3 }).infer(b.x, b.shape, b.lengths);
    const model = new CtcModel(config, { backend: gpu!, seed: 3 });
    const reads = gpu!.readBacks;
    const got = model.infer(b.x, b.shape, b.lengths);
    assertClose(await fromBackend(gpu!, got.logits), want.logits, 1e-5, 'logits');
    assert.equal(gpu!.readBacks - reads, 1);
    assert.deepEqual([...got.lengths], [...want.lengths]);
  });

  it('trains as the js backend does: loss, gradient norm and weights after three steps, one read-back per step', async () => {
    const opts = { learningRate: 0.05, optimizer: { kind: 'sgd' as const, momentum: 0.9 } };
    const ref = new Trainer(new CtcModel(config, { backend: js, seed: 4 }), opts);
    const model = new CtcModel(config, { backend: gpu!, seed: 4 });
    const dev = new Trainer(model, opts);
    await assertDeviceSteps(gpu!, ref, dev, [10, 11, 12].map(batch), 1, (want) => 1e-4 * (1 + Math.abs(want)));
    assertClose(await fromBackend(gpu!, model.params.data), ref.model.params.data, 1e-4, 'weights');
  });

  it('refuses the synchronous entry points, naming the asynchronous ones', () => {
    const model = new CtcModel(config, { backend: gpu!, seed: 4 });
    assert.throws(() => new Trainer(model, { learningRate: 0.1 }).trainStep(batch(1)), /use trainStepAsync/);

  });

  it('transcribes as the js backend does, reading back once per utterance', async () => {
    const dir = makeTinyModelDir();
    const wav = readWav(new URL('hello.wav', SAMPLES).pathname);
    const want = Recognizer.load(dir, { backend: js }).transcribe(wav.samples, wav.sampleRate);
    const rec = Recognizer.load(dir, { backend: gpu! });
    assert.throws(() => rec.transcribe(wav.samples, wav.sampleRate), /use transcribeAsync/);
    const reads = gpu!.readBacks;
    const got = await rec.transcribeAsync(wav.samples, wav.sampleRate);
    assert.equal(gpu!.readBacks - reads, 1);
    assert.equal(got.text, want.text);
    assert.deepEqual(got.tokens, want.tokens);
  });
});
