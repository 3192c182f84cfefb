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
import { type ModelOn, checkInference, checkTrainingSteps } from '../helpers/device-model-checks.js';
import { SAMPLES, makeTinyModelDir } from '../helpers/tiny-model.js';
import { TINY_CTC_CONFIG, tinyCtcBatch } from '../helpers/tiny-ctc-batch.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const js = new JsBackend();
const config = TINY_CTC_CONFIG;
const batch = tinyCtcBatch;

describe('CtcModel on webgpu (SwiftShader)', { skip }, () => {
  const make: ModelOn = (backend, seed) => new CtcModel(config, { backend, seed });

  it('infers the logits of the js backend, reading back once', () => checkInference(gpu!, make, batch(1)));

  it('trains as the js backend does: loss, gradient norm and weights after three steps, one read-back per step', () => checkTrainingSteps(gpu!, make, batch));

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
