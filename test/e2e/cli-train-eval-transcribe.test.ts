import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readManifest } from '../../src/data/manifest.js';
import { cer } from '../../src/metrics/error-rate.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });

test('sayre train, eval and transcribe on a tiny model', { skip: espeakMissing() ?? false }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no']);
  const configPath = join(corpus, 'config.json');
  writeFileSync(configPath, JSON.stringify(tinyConfig({ maxEpochs: 2 })));
  const out = join(corpus, 'run');
  const args = ['train', '--config', configPath, '--train', join(corpus, 'train.jsonl'), '--dev', join(corpus, 'dev.jsonl'), '--out', out];
  const trained = await sayre(...args);
  assert.match(trained.stdout, /max epochs: 2 epochs, \d+ steps, .* best dev CER .*; model: /);
  assert.match(trained.stderr, /epoch 1: dev loss [\d.]+, CER [\d.]+%, WER [\d.]+%/);
  await assert.rejects(sayre(...args), /already holds a training run; pass --resume/);
  const more = await sayre('train', '--out', out, '--resume', '--max-epochs', '3');
  assert.match(more.stdout, /3 epochs/);

  const model = join(out, 'model');
  const report = join(corpus, 'report.txt');
  const jsonl = join(corpus, 'report.jsonl');
  const ev = await sayre('eval', '--model', model, '--manifest', join(corpus, 'dev.jsonl'), '--report', report, '--jsonl', jsonl);
  assert.match(ev.stdout, /^%WER [\d.]+ \[ \d+ \/ 2, \d+ ins, \d+ del, \d+ sub \]\n%CER [\d.]+ \[ \d+ \/ 5,/);
  assert.match(ev.stdout, /2 utterances, [^ ]+ of audio in [\d.]+ s \(real-time factor [\d.]+\)/);
  assert.match(readFileSync(report, 'utf8'), /wav\/u0\.wav: WER/);
  assert.equal(readFileSync(jsonl, 'utf8').trim().split('\n').length, 2);

  const wav = join(corpus, 'wav', 'u0.wav');
  const plain = await sayre('transcribe', '--model', model, wav);
  const json = JSON.parse((await sayre('transcribe', '--model', model, '--json', wav)).stdout) as {
    file: string; text: string; confidence: number; duration: number; words: { word: string; start: number; end: number }[]; tokens: { token: string }[];
  };
  assert.equal(json.text, plain.stdout.trimEnd());
  assert.equal(json.file, wav);
  assert.ok(json.confidence > 0 && json.confidence <= 1 && json.duration > 0);
  assert.equal(json.tokens.map((t) => t.token).join('').replace(/ +/g, ' ').trim(), json.text);
  const two = await sayre('transcribe', '--model', model, wav, join(corpus, 'wav', 'u1.wav'));
  assert.equal(two.stdout.trim().split('\n').length, 2);
  await assert.rejects(sayre('transcribe', '--model', model, join(corpus, 'missing.wav')), /missing\.wav: cannot read/);
  await assert.rejects(sayre('eval', '--model', join(corpus, 'nope'), '--manifest', join(corpus, 'dev.jsonl')), /cannot read the model config/);
});

test('sayre transcribe uses the bundled model by default', { skip: existsSync(join(bundledModelDir(), 'config.json')) ? false : 'no bundled model' }, async () => {
  const samples = fileURLToPath(new URL('../../../samples/', import.meta.url));
  const entries = readManifest(join(samples, 'samples.jsonl'));
  const out = await sayre('transcribe', ...entries.map((e) => e.audioPath));
  const lines = out.stdout.trim().split('\n');
  assert.equal(lines.length, entries.length);
  // The bundled model gets most of the samples' characters right (14.0% CER when bundled).
  const hyps = lines.map((l) => l.split('\t')[1] ?? '');
  assert.ok(cer(entries.map((e) => e.text), hyps) < 0.3, hyps.join(' | '));
});
