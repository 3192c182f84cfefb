import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTransducerCheckpoint } from '../../src/model/transducer-checkpoint.js';
import { readTrainingLog } from '../../src/train/log.js';
import { readRunState } from '../../src/train/run/run-state.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../train-run/tiny-corpus.js';

const skip = espeakMissing() ?? false;

test('sayre train\'s run trains an RNN-T model when the config says "type": "rnnt", and resumes it', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const out = join(corpus, 'run');
  const config = tinyConfig({ maxEpochs: 100, learningRate: 0.01, maxBatchSize: 1, patience: 1000, weightNoise: 0 });
  config.model = { ...config.model, type: 'rnnt', hiddenSize: 48, predEmbedDim: 8, predHiddenSize: 24, jointDim: 48 };
  const files = { train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl') };
  const first = await trainingRun({ out, config: { ...config, training: { ...config.training, maxEpochs: 40 } }, ...files, stream: null });
  assert.equal(first.reason, 'max epochs');
  // the checkpoint holds a transducer; resuming with more epochs goes on from it
  const ck = loadTransducerCheckpoint(join(out, readRunState(out)!.checkpoint));
  assert.equal(ck.model.config.type, 'rnnt');
  const r = await trainingRun({ out, resume: true, limits: { maxEpochs: 100 }, stream: null });
  assert.equal(r.reason, 'max epochs');
  assert.equal(r.steps, 300);
  const dev = readTrainingLog(join(out, 'log.jsonl')).records.filter((x) => x.type === 'dev') as unknown as { loss: number; cer: number }[];
  assert.equal(dev.length, 100);
  assert.ok(dev[99]!.loss < dev[0]!.loss / 5, `dev loss ${dev[0]!.loss} -> ${dev[99]!.loss}`);
  assert.ok(r.bestCer !== null && r.bestCer <= 0.2, `dev CER ${r.bestCer}`);
  assert.equal(JSON.parse(readFileSync(join(out, 'model', 'config.json'), 'utf8')).model.type, 'rnnt');
});
