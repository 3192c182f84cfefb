import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readTrainingLog } from '../../src/train/log.js';
import { openRun } from '../../src/train/run/run-open.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

const skip = espeakMissing() ?? false;

test('--train with several manifests: read as one set (each relative to its own folder), recorded in run.json, and a resume must name the same ones', { skip }, async () => {
  const a = makeTinyCorpus(['yes', 'no']), b = makeTinyCorpus(['go now', 'stop', 'wait']);
  const train = [join(a, 'train.jsonl'), join(b, 'train.jsonl')];
  const out = join(a, 'run');
  const config = tinyConfig({ maxEpochs: 1, maxBatchSize: 1, weightNoise: 0 });
  await trainingRun({ out, config, train, dev: join(b, 'dev.jsonl'), stream: null });
  const started = readTrainingLog(join(out, 'log.jsonl')).records
    .map((r) => (r as { message?: string }).message ?? '').find((m) => m.startsWith('started:'));
  assert.match(started ?? '', /^started: 5 training and 3 dev utterances/);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).train, train);
  assert.deepEqual(openRun({ out, resume: true, train }).train, train);
  assert.throws(() => openRun({ out, resume: true, train: [train[0]!] }), /started with --train .*a.*train\.jsonl .*train\.jsonl, not/);
  assert.throws(() => openRun({ out, resume: true, train: [train[1]!, train[0]!] }), /started with --train/);
  // compared as lists, not as joined text: one manifest named "/t/x /t/y" is not "/t/x" and "/t/y"
  const spaced = join(a, 'spaced');
  openRun({ out: spaced, config, train: ['/t/x /t/y.jsonl'], dev: join(b, 'dev.jsonl') });
  assert.throws(() => openRun({ out: spaced, resume: true, train: ['/t/x', '/t/y.jsonl'] }), /started with --train/);

  // one manifest is stored as before (a string), and reads back as a list of one
  const single = join(b, 'single');
  openRun({ out: single, config, train: train[1]!, dev: join(b, 'dev.jsonl') });
  assert.equal(JSON.parse(readFileSync(join(single, 'run.json'), 'utf8')).train, train[1]);
  assert.deepEqual(openRun({ out: single, resume: true }).train, [train[1]]);
  assert.throws(() => openRun({ out: join(b, 'none'), config, train: [], dev: join(b, 'dev.jsonl') }), /at least one train manifest/);
});
