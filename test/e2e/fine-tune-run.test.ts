import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSafetensors } from '../../src/model/io/safetensors.js';
import { readTrainingLog } from '../../src/train/log.js';
import { openRun } from '../../src/train/run/run-open.js';
import { readRunState } from '../../src/train/run/run-state.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

const skip = espeakMissing() ?? false;

type Dev = { loss: number; cer: number; epoch: number };
const devOf = (dir: string): Dev[] => readTrainingLog(join(dir, 'log.jsonl')).records.filter((r) => r.type === 'dev') as unknown as Dev[];

test('--init-from: a new run starts from every weight of an earlier model and goes on with its own learning rate', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const files = { train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl') };
  const first = join(corpus, 'first');
  const base = tinyConfig({ maxEpochs: 30, learningRate: 0.02, maxBatchSize: 1, patience: 1000, weightNoise: 0 });
  const r1 = await trainingRun({ out: first, config: base, ...files, stream: null });
  const from = join(first, 'model', 'model.safetensors');

  // learning rate 0: the new run's weights are the earlier model's, so its dev scores are that model's
  const frozen = join(corpus, 'frozen');
  await trainingRun({ out: frozen, config: tinyConfig({ ...base.training, maxEpochs: 1, learningRate: 0 }), ...files, initFrom: from, stream: null });
  const ck = readSafetensors(join(frozen, readRunState(frozen)!.checkpoint)), src = readSafetensors(from);
  for (const [name, t] of src.tensors) assert.deepEqual(ck.tensors.get(name)!.data, t.data, name);
  // a run stopped before its first checkpoint (run.json only) starts from the same weights when resumed
  const early = join(corpus, 'early');
  openRun({ out: early, config: tinyConfig({ ...base.training, maxEpochs: 1, learningRate: 0 }), ...files, initFrom: from });
  await trainingRun({ out: early, resume: true, stream: null });
  const ck2 = readSafetensors(join(early, readRunState(early)!.checkpoint));
  for (const [name, t] of src.tensors) assert.deepEqual(ck2.tensors.get(name)!.data, t.data, `resumed: ${name}`);
  const best = devOf(first).find((d) => d.epoch === r1.bestEpoch)!.loss; // the model directory holds the best-CER epoch's weights
  assert.ok(Math.abs(devOf(frozen)[0]!.loss - best) < 1e-6 * Math.max(1, best), `${devOf(frozen)[0]!.loss} vs ${best}`);

  // fine-tuning with a smaller learning rate and a fresh optimiser goes on below where a new model starts
  const tuned = join(corpus, 'tuned'), fresh = join(corpus, 'fresh');
  const small = tinyConfig({ ...base.training, maxEpochs: 3, learningRate: 0.002 });
  await trainingRun({ out: tuned, config: small, ...files, initFrom: from, stream: null });
  await trainingRun({ out: fresh, config: small, ...files, stream: null });
  assert.ok(devOf(tuned).at(-1)!.loss < devOf(fresh).at(-1)!.loss / 2, `${devOf(tuned).at(-1)!.loss} vs ${devOf(fresh).at(-1)!.loss}`);

  // the model directory records where its weights started, and the training behind them (the card shows both)
  const info = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'model', 'config.json'), 'utf8')).info;
  assert.deepEqual(info(tuned)['startedFrom'], { checkpoint: from, part: 'weights', trainSeconds: info(first)['trainSeconds'] });
  assert.equal(info(fresh)['startedFrom'], undefined);
  // a model fine-tuned from a fine-tuned one counts both runs' training behind it (here the
  // tuned model's record says 1000 s were behind it: these tiny runs take under a second)
  const tunedConfig = join(tuned, 'model', 'config.json'), c = JSON.parse(readFileSync(tunedConfig, 'utf8'));
  c.info.startedFrom.trainSeconds = 1000;
  writeFileSync(tunedConfig, JSON.stringify(c));
  const again = join(corpus, 'again');
  await trainingRun({ out: again, config: tinyConfig({ ...base.training, maxEpochs: 1, learningRate: 0.002 }), ...files, initFrom: join(tuned, 'model', 'model.safetensors'), stream: null });
  assert.equal((info(again)['startedFrom'] as { trainSeconds: number }).trainSeconds, Math.round((info(tuned)['trainSeconds'] as number) + 1000));
  // ... and so does one started from a checkpoint in the run folder (state.json and run.json)
  const runJson = join(tuned, 'run.json'), r = JSON.parse(readFileSync(runJson, 'utf8'));
  r.startedFrom.trainSeconds = 2000;
  writeFileSync(runJson, JSON.stringify(r));
  const fromCkpt = join(corpus, 'from-ckpt'), tunedState = readRunState(tuned)!;
  await trainingRun({ out: fromCkpt, config: tinyConfig({ ...base.training, maxEpochs: 1, learningRate: 0.002 }), ...files, initFrom: join(tuned, tunedState.checkpoint), stream: null });
  assert.equal((info(fromCkpt)['startedFrom'] as { trainSeconds: number }).trainSeconds, Math.round(tunedState.trainSeconds + 2000));

  // another architecture or another model kind is refused, naming the file
  const wider = tinyConfig({ maxEpochs: 1 });
  wider.model = { ...wider.model, hiddenSize: 32 };
  await assert.rejects(trainingRun({ out: join(corpus, 'wider'), config: wider, ...files, initFrom: from, stream: null }), /model\.safetensors.*lstm/);
  const rnnt = tinyConfig({ maxEpochs: 1 });
  rnnt.model = { ...rnnt.model, type: 'rnnt', predEmbedDim: 8, predHiddenSize: 24, jointDim: 24 };
  await assert.rejects(trainingRun({ out: join(corpus, 'rnnt'), config: rnnt, ...files, initFrom: from, stream: null }), /a ctc model; this run trains a rnnt model/);
});
