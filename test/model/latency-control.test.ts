/**
 * Latency-controlled encoders in models: the config field (validated, saved, loaded, absent
 * unless given), the refusals that go with streaming, and the model's stream against its
 * offline output for CTC and RNN-T.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Backend, JsBackend } from '../../src/backend/index.js';
import type { AcousticOutput } from '../../src/decode/acoustic-output.js';
import { resolveCtcModelConfig } from '../../src/model/config.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { exportOnnx } from '../../src/model/export/export-onnx.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { resolveTransducerModelConfig } from '../../src/model/transducer-config.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { architecture } from '../../src/report/card/model-section.js';
import { resolveRunConfig } from '../../src/train/run/run-config.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertRelClose, randomArray, rng } from '../helpers/compare.js';
import { LATENCY_CONTROLLED, makeTinyStreamingCtcDir, makeTinyStreamingRnntDir } from '../helpers/tiny-streaming-model.js';
import { writeTinyModelDir } from '../helpers/tiny-model.js';

const fields = { inputDim: 8, hiddenSize: 4, numLayers: 2, numClasses: 5 };
const lc = { chunk: 3, rightContext: 2 };

describe('"latencyControl" in model configs', () => {
  it('resolves for a bidirectional model, stays absent when not given, and names what is wrong', () => {
    assert.deepEqual(resolveCtcModelConfig({ ...fields, latencyControl: lc }).latencyControl, lc);
    assert.ok(!('latencyControl' in resolveCtcModelConfig(fields)), 'a config without it resolves as before');
    assert.deepEqual(resolveTransducerModelConfig({ type: 'rnnt', ...fields, latencyControl: lc }).latencyControl, lc);
    const bad = (latencyControl: unknown, more: object = {}): (() => unknown) => () => resolveCtcModelConfig({ ...fields, ...more, latencyControl });
    assert.throws(bad(lc, { bidirectional: false }), /model config: "latencyControl" needs "bidirectional": true/);
    assert.throws(bad({ chunk: 0, rightContext: 2 }), /model config: "latencyControl.chunk" must be an integer >= 1 \(frames after frame stacking\), got 0/);
    assert.throws(bad({ chunk: 2 }), /"latencyControl.rightContext" must be an integer >= 0/);
    assert.throws(bad({ chunk: 2, rightContext: 1, left: 1 }), /"latencyControl" has an unknown field "left"/);
    assert.throws(bad(4), /"latencyControl" must be an object/);
    assert.throws(() => resolveTransducerModelConfig({ type: 'rnnt', ...fields, bidirectional: false, latencyControl: lc }), /rnnt config: "latencyControl" needs "bidirectional": true/);
  });

  it('a model directory saves and loads it, and the card says what the encoder is', () => {
    const dir = makeTinyStreamingCtcDir('lc-ctc', LATENCY_CONTROLLED);
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(saved['model']!['latencyControl'], LATENCY_CONTROLLED.latencyControl);
    const loaded = loadModelDir(dir, { backend: new JsBackend() });
    assert.deepEqual(loaded.model.config.latencyControl, LATENCY_CONTROLLED.latencyControl);
    assert.equal(loaded.model.streaming, true);
    assert.match(architecture(saved), /2 x 16 latency-controlled BiLSTM \(chunks of 3 frames, 2 of right context\) CTC/);
  });

  it('is refused with a front end that cannot stream, as unidirectional models are (sayre train and model directories)', () => {
    assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, latencyControl: lc }, frontEnd: { fbank: { deltaOrder: 1 } } }),
      /a streaming model \("latencyControl"\) needs features that can be computed incrementally: deltas/);
    assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, bidirectional: false, latencyControl: lc } }),
      /run config: model: "latencyControl" needs "bidirectional": true/);
    assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, latencyControl: { chunk: 4, rightContext: 0.5 } } }),
      /run config: model: "latencyControl.rightContext" must be an integer >= 0/);
    assert.deepEqual(resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, latencyControl: lc } }).model.latencyControl, lc);
    const front = { sampleRate: 16000, fbank: { numMelBins: 20 }, utteranceCmvn: {} };
    assert.throws(() => writeTinyModelDir('lc-utterance-cmvn', (t) => new CtcModel({ ...fields, inputDim: 20, numClasses: t.size, latencyControl: lc }), front),
      /a streaming model \("latencyControl"\) needs a front end that can be computed as audio arrives: utteranceCmvn/);
  });

  it('ONNX export refuses it, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sayre-lc-onnx-'));
    for (const model of [new CtcModel({ ...fields, latencyControl: lc }), new RnntModel({ type: 'rnnt', ...fields, latencyControl: lc })]) {
      assert.throws(() => exportOnnx(model, dir), /ONNX export: a latency-controlled encoder \("latencyControl"\) cannot be exported yet/);
    }
  });
});

/** Random features [T, F] fed to a model's stream in pieces of the given sizes (cycled), then finished; each piece's output. */
function streamOutputs(model: CtcModel | RnntModel, x: Float32Array, T: number, sizes: readonly number[]): AcousticOutput[] {
  const F = model.config.inputDim, s = model.createStream(), outs: AcousticOutput[] = [];
  for (let t = 0, i = 0; t < T; i++) {
    const n = Math.min(T - t, sizes[i % sizes.length]!);
    outs.push(s.accept({ data: x.slice(t * F, (t + n) * F), frames: n, dim: F }));
    t += n;
  }
  outs.push(s.finish());
  return outs;
}

/** The rows [frames, dim] of stream outputs, concatenated. */
function rowsOf(outs: readonly AcousticOutput[]): Float32Array {
  const parts = outs.map((o) => (o.kind === 'ctc' ? o.logits : o.kind === 'transducer' ? o.encoded[0]?.data ?? new Float32Array(0) : new Float32Array(0)));
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => { all.set(p, at); return at + p.length; }, 0);
  return all;
}

const T = 41;
const SIZES = [[1], [2, 5], [7], [13, 1, 4], [T]];

/** A tiny latency-controlled CTC and RNN-T model, and their offline output rows for the input. */
function models(be: Backend): { name: string; model: CtcModel | RnntModel; offline: Float32Array }[] {
  const enc = { inputDim: 6, hiddenSize: 5, numLayers: 2, numClasses: 7, frameStack: 3, frameStride: 2, latencyControl: lc };
  const ctc = new CtcModel(enc, { backend: be, seed: 4 });
  const rnnt = new RnntModel({ type: 'rnnt', ...enc, predEmbedDim: 4, predHiddenSize: 5, jointDim: 6 }, { backend: be, seed: 5 });
  const x = features();
  return [
    { name: 'CTC', model: ctc, offline: ctc.infer(x, [T, 1, 6], [T]).logits },
    { name: 'RNN-T', model: rnnt, offline: rnnt.encode(x, [T, 1, 6], [T])[0]!.data },
  ];
}

function features(): Float32Array {
  return randomArray(T * 6, rng(12));
}

describe('a latency-controlled model\'s stream', () => {
  it('gives the offline output bit for bit for any chunking, CTC and RNN-T (JavaScript backend)', () => {
    for (const { name, model, offline } of models(new JsBackend())) {
      assert.equal(model.streaming, true);
      assert.equal(offline.length, Math.ceil(T / 2) * (name === 'CTC' ? 7 : 6));
      for (const sizes of SIZES) assert.deepEqual(rowsOf(streamOutputs(model, features(), T, sizes)), offline, `${name}, pieces ${sizes}`);
    }
  });

  it('agrees with the offline output within 1e-6 on every backend', async () => {
    for (const be of await availableBackends()) {
      for (const { name, model, offline } of models(be)) {
        for (const sizes of SIZES.slice(1, 4)) assertRelClose(rowsOf(streamOutputs(model, features(), T, sizes)), offline, 1e-6, `${backendLabel(be)} ${name}, pieces ${sizes}`);
      }
    }
  });

  it('holds a chunk back until its right context has arrived through both layers', () => {
    const { model } = models(new JsBackend())[0]!;
    const outs = streamOutputs(model, features(), T, [2]);
    // piece i (input frames 2i, 2i + 1) completes stacked frame i - 1 (it reads input frames up to 2i); chunks of 3 with
    // 2 frames of right context through 2 layers hold back up to L*C + R - 1 = 7 stacked frames: the first 3 come
    // out with stacked frame 7 (piece 8), then 3 every 3
    const frames = outs.map((o) => (o.kind === 'ctc' ? o.shape[0] : 0));
    assert.deepEqual(frames.slice(0, 13), [0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 3, 0]);
    assert.equal(frames.reduce((a, b) => a + b, 0), Math.ceil(T / 2));
  });

  it('a bidirectional model without latency control does not stream, and says why', () => {
    const m = new CtcModel(fields);
    assert.equal(m.streaming, false);
    assert.throws(() => m.createStream(), /only models trained with "bidirectional": false or with "latencyControl" stream/);
  });

  it('decodes several streams together, each as if alone', () => {
    const dir = makeTinyStreamingRnntDir('lc-rnnt', LATENCY_CONTROLLED);
    const { model } = loadModelDir(dir, { backend: new JsBackend() });
    const xs = [11, 30, 5].map((n, i) => ({ x: randomArray(n * 20, rng(i)), n }));
    const alone = xs.map(({ x, n }) => rowsOf(streamOutputs(model, x, n, [4])));
    const streams = xs.map(() => model.createStream());
    const outs: AcousticOutput[][] = xs.map(() => []);
    for (let t = 0; t < 30; t += 4) {
      const live = xs.flatMap((s, i) => (t < s.n ? [i] : []));
      const got = model.acceptStreams(live.map((i) => streams[i]!), live.map((i) => {
        const { x, n } = xs[i]!, m = Math.min(4, n - t);
        return { data: x.slice(t * 20, (t + m) * 20), frames: m, dim: 20 };
      }));
      live.forEach((i, j) => outs[i]!.push(got[j]!));
    }
    streams.forEach((s, i) => outs[i]!.push(s.finish()));
    outs.forEach((o, i) => assert.deepEqual(rowsOf(o), alone[i], `stream ${i}`));
  });
});
