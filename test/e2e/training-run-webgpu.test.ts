/**
 * `sayre train --backend webgpu` end to end under SwiftShader: a tiny CTC run with the
 * recipes' Adam, gradient clipping and weight-noise phase trains on the device (the loss
 * falls), checkpoints, and a run stopped and resumed (through the CLI) gives exactly the
 * uninterrupted run's log and weights; `sayre eval --backend webgpu` scores the model as wasm does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readSafetensors } from '../../src/model/io/safetensors.js';
import { readTrainingLog, type LogRecord } from '../../src/train/log.js';
import { readRunState } from '../../src/train/run/run-state.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip: noGpu } = await webgpuBackendForTests();
const skip = noGpu ?? espeakMissing() ?? false;
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** The log without wall-clock fields, for comparing runs. */
function logOf(dir: string): LogRecord[] {
  return readTrainingLog(join(dir, 'log.jsonl')).records
    .filter((r) => r.type !== 'event')
    .map(({ time: _t, framesPerSecond: _f, ...rest }) => rest as LogRecord);
}

test('a tiny CTC run trains on webgpu with Adam, clipping and weight noise, checkpoints, and resumes exactly', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  // Adam, clipNorm 5 and the two phases of the recipes; patience 1 so that weight noise comes on.
  const config = tinyConfig({ maxEpochs: 4, maxBatchSize: 1, learningRate: 0.02, patience: 1, noisePatience: 3, weightNoise: 0.01 });
  const straight = join(corpus, 'straight');
  const r = await trainingRun({ out: straight, config, train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), backend: gpu!, stream: null });
  assert.equal(r.steps, 3 * r.epochs);
  const log = readTrainingLog(join(straight, 'log.jsonl')).records;
  const train = log.filter((x) => x.type === 'train') as unknown as { loss: number; gradNorm: number; phase: number }[];
  const dev = log.filter((x) => x.type === 'dev') as unknown as { loss: number }[];
  assert.ok(train.every((x) => Number.isFinite(x.loss) && Number.isFinite(x.gradNorm)));
  assert.ok(train.at(-1)!.phase === 2, 'weight noise came on (phase 2)');
  const mean = (xs: { loss: number }[]): number => xs.reduce((a, x) => a + x.loss, 0) / xs.length;
  assert.ok(mean(train.slice(-3)) < 0.8 * mean(train.slice(0, 3)), `train loss falls: ${train.map((x) => x.loss.toFixed(2)).join(' ')}`);
  assert.ok(dev.at(-1)!.loss < dev[0]!.loss, `dev loss falls: ${dev.map((x) => x.loss.toFixed(2)).join(' ')}`);
  for (const f of ['state.json', 'plot.svg', 'model/model.safetensors']) assert.ok(existsSync(join(straight, f)), f);

  // The same run stopped after two epochs (before the switch to weight noise), then resumed from the CLI on webgpu.
  const split = join(corpus, 'split');
  await trainingRun({ out: split, config: { ...config, training: { ...config.training, maxEpochs: 2 } }, train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), backend: gpu!, stream: null });
  assert.equal(readRunState(split)!.epoch, 2);
  const { stdout } = await promisify(execFile)(process.execPath, [MAIN, 'train', '--backend', 'webgpu', '--out', split, '--resume', '--max-epochs', '4'], { env: { ...process.env } });
  assert.match(stdout, /\d+ epochs/);
  assert.deepEqual(logOf(split), logOf(straight));
  const a = readRunState(straight)!, b = readRunState(split)!;
  const wa = readSafetensors(join(straight, a.checkpoint)), wb = readSafetensors(join(split, b.checkpoint));
  for (const [name, t] of wa.tensors) assert.deepEqual(wb.tensors.get(name)!.data, t.data, name);
  assert.deepEqual(readFileSync(join(split, 'model', 'model.safetensors')), readFileSync(join(straight, 'model', 'model.safetensors')));

  // sayre eval --backend webgpu scores the trained model on the dev set as wasm does.
  const scored = async (backend: string): Promise<string[]> => {
    const jsonl = join(corpus, `eval-${backend}.jsonl`);
    await promisify(execFile)(process.execPath, [MAIN, 'eval', '--backend', backend, '--no-lm', '--model', join(straight, 'model'), '--manifest', join(corpus, 'dev.jsonl'), '--report', join(corpus, `eval-${backend}.txt`), '--jsonl', jsonl], { env: { ...process.env } });
    return readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { hyp: string }).hyp);
  };
  const gpuHyps = await scored('webgpu');
  assert.equal(gpuHyps.length, 3);
  assert.deepEqual(gpuHyps, await scored('wasm'));
});
