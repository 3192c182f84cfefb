import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTrainingLog, type LogRecord } from '../../src/train/log.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

const skip = espeakMissing() ?? false;

function logOf(dir: string): LogRecord[] {
  return readTrainingLog(join(dir, 'log.jsonl')).records
    .filter((r) => r.type !== 'event')
    .map(({ time: _t, framesPerSecond: _f, ...rest }) => rest as LogRecord);
}

test('a run whose features are read from the cache per batch trains exactly the model of a run that holds them in memory', { skip }, async () => {
  const corpus = makeTinyCorpus();
  const config = tinyConfig({ maxEpochs: 4, specAugment: { maxFreqWidth: 5, maxTimeWidth: 5 } });
  const go = (out: string, featureMemory?: number) => trainingRun({
    out, config, train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), stream: null, ...(featureMemory !== undefined ? { featureMemory } : {}),
  });
  const budget = 1024;
  const memory = join(corpus, 'memory');
  const streamed = join(corpus, 'streamed');
  await go(memory);
  await go(streamed, budget);
  // The budget is far below either set, so both were streamed.
  for (const set of ['train', 'dev']) assert.ok(statSync(join(streamed, 'features', `${set}.f32`)).size > 10 * budget, set);
  assert.deepEqual(logOf(streamed), logOf(memory));
  assert.deepEqual(readFileSync(join(streamed, 'cmvn.json')), readFileSync(join(memory, 'cmvn.json')));
  assert.deepEqual(readFileSync(join(streamed, 'model', 'model.safetensors')), readFileSync(join(memory, 'model', 'model.safetensors')));
});
