import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTransducerCheckpoint } from '../../src/train/transducer-checkpoint.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { readTrainingLog } from '../../src/train/log.js';
import { readRunState } from '../../src/train/run/run-state.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

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
  // the model directory loads as a transducer and the recogniser (sayre transcribe / eval) decodes with it
  const rec = Recognizer.load(join(out, 'model'));
  assert.ok(rec.loaded.model instanceof RnntModel);
  const results = ['yes', 'no', 'go now'].map((_, i) => rec.transcribeFile(join(corpus, 'wav', `u${i}.wav`)));
  const texts = results.map((t) => t.text);
  assert.ok(texts.filter((t, i) => t === ['yes', 'no', 'go now'][i]).length >= 2, texts.join('|'));
  const two = results[2]!;
  if (two.text === 'go now') {
    assert.deepEqual(two.words.map((w) => w.word), ['go', 'now']);
    assert.ok(two.words[0]!.start <= two.words[1]!.start && two.words[1]!.end <= two.duration + 0.1, JSON.stringify(two.words) + two.duration);
    assert.ok(two.confidence > 0 && two.confidence <= 1);
  }
});

test('a new RNN-T run can start its encoder from a CTC checkpoint (--init-encoder)', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no']);
  const ctcPath = join(corpus, 'ctc.safetensors');
  // the encoder of the run below: 23 mel bins, 3 frames stacked, 1 x 48 units
  const ctc = new CtcModel({ inputDim: 23, hiddenSize: 48, numLayers: 1, numClasses: 29, frameStack: 3, frameStride: 3 }, { seed: 9 });
  saveCheckpoint(ctcPath, ctc);
  const config = tinyConfig({ maxEpochs: 1, learningRate: 0, weightNoise: 0 }); // no updates: the weights stay as initialised
  config.model = { ...config.model, type: 'rnnt', hiddenSize: 48, predEmbedDim: 8, predHiddenSize: 24, jointDim: 24 };
  const files = { train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl') };
  const out = join(corpus, 'run');
  await trainingRun({ out, config, ...files, initEncoder: ctcPath, stream: null });
  const ck = loadTransducerCheckpoint(join(out, readRunState(out)!.checkpoint));
  for (const e of ctc.params.entries) if (e.name.startsWith('lstm.')) assert.deepEqual(ck.model.params.value(e.name), ctc.params.value(e.name), e.name);
  const ctcConfig = tinyConfig({ maxEpochs: 1 });
  await assert.rejects(trainingRun({ out: join(corpus, 'run2'), config: ctcConfig, ...files, initEncoder: ctcPath, stream: null }), /only an RNN-T model/);
});
