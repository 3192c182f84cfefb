/**
 * `sayre train --backend webgpu` end to end with an RNN-T model under SwiftShader: a tiny
 * transducer run trains two epochs on the device (encoder, prediction and joint networks
 * there, the loss lattice on the host), with the train and dev losses of the same run on
 * the js backend, and writes its checkpoint and model directory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JsBackend } from '../../src/backend/index.js';
import { readTrainingLog } from '../../src/train/log.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { skip: noGpu } = await webgpuBackendForTests();
const skip = noGpu ?? espeakMissing() ?? false;
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The losses of a run's train and dev records, in order. */
function losses(dir: string): { type: string; loss: number }[] {
  return readTrainingLog(join(dir, 'log.jsonl')).records
    .filter((r) => r.type === 'train' || r.type === 'dev')
    .map((r) => ({ type: r.type, loss: (r as unknown as { loss: number }).loss }));
}

test('sayre train --backend webgpu trains a tiny RNN-T model for two epochs as the js backend does', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const config = tinyConfig({ maxEpochs: 2, maxBatchSize: 2, learningRate: 0.01, weightNoise: 0 });
  config.model = { ...config.model, type: 'rnnt', hiddenSize: 16, predEmbedDim: 6, predHiddenSize: 12, jointDim: 16 };
  const files = { train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl') };
  const onJs = join(corpus, 'js');
  await trainingRun({ out: onJs, config, ...files, backend: new JsBackend(), stream: null });

  const onGpu = join(corpus, 'webgpu');
  writeFileSync(join(corpus, 'config.json'), JSON.stringify(config));
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, 'train', '--backend', 'webgpu', '--config', join(corpus, 'config.json'),
    '--train', files.train, '--dev', files.dev, '--out', onGpu], { env: { ...process.env } });
  assert.match(stdout, /2 epochs/);
  const want = losses(onJs), got = losses(onGpu);
  assert.deepEqual(got.map((r) => r.type), want.map((r) => r.type));
  assert.ok(got.filter((r) => r.type === 'train').length >= 2 && got.some((r) => r.type === 'dev'));
  got.forEach((r, i) => {
    const w = want[i]!.loss;
    assert.ok(Math.abs(r.loss - w) <= 1e-3 * Math.abs(w), `${r.type} record ${i}: loss ${r.loss} on webgpu, ${w} on js`);
  });
  for (const f of ['state.json', 'model/model.safetensors', 'model/config.json']) assert.ok(existsSync(join(onGpu, f)), f);
});
