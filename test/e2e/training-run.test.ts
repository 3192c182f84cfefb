import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWav } from '../../src/audio/wav-read.js';
import { readSafetensors } from '../../src/model/io/safetensors.js';
import { readTrainingLog, type LogRecord } from '../../src/train/log.js';
import { resolveRunConfig } from '../../src/train/run/run-config.js';
import type { FrontEndConfig } from '../../src/audio/front-end.js';
import { readRunState } from '../../src/train/run/run-state.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { espeakMissing, makeTinyCorpus, tinyConfig } from '../helpers/tiny-corpus.js';

const skip = espeakMissing() ?? false;

function run(corpus: string, out: string, config = tinyConfig(), resume = false) {
  return trainingRun({ out, config, train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), resume, stream: null });
}

/** The log without wall-clock fields, for comparing runs. */
function logOf(dir: string): LogRecord[] {
  return readTrainingLog(join(dir, 'log.jsonl')).records
    .filter((r) => r.type !== 'event')
    .map(({ time: _t, framesPerSecond: _f, ...rest }) => rest as LogRecord);
}

test('a tiny model overfits a few utterances; the run leaves a model directory, a log and a plot', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const out = join(corpus, 'run');
  const config = tinyConfig({ maxEpochs: 100, learningRate: 0.02, maxBatchSize: 1, patience: 1000, weightNoise: 0 });
  config.model.hiddenSize = 48;
  const r = await run(corpus, out, config);
  assert.equal(r.reason, 'max epochs');
  assert.equal(r.steps, 300);
  assert.ok(r.bestCer !== null && r.bestCer <= 0.1, `dev CER ${r.bestCer}`);
  for (const f of ['run.json', 'cmvn.json', 'state.json', 'log.jsonl', 'plot.svg', 'model/config.json', 'model/model.safetensors']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.equal(readdirSync(out).filter((f) => f.startsWith('ckpt-')).length, 1);
  const log = readTrainingLog(join(out, 'log.jsonl')).records;
  const train = log.filter((x) => x.type === 'train') as unknown as { loss: number }[];
  const dev = log.filter((x) => x.type === 'dev') as unknown as { loss: number; cer: number; wer: number }[];
  assert.equal(train.length, 300);
  assert.equal(dev.length, 100);
  assert.ok(dev[99]!.loss < dev[0]!.loss / 5);
  assert.match(readFileSync(join(out, 'plot.svg'), 'utf8'), /<svg/);
  // The saved model transcribes the training audio.
  const rec = Recognizer.load(join(out, 'model'));
  const texts = ['yes', 'no', 'go now'].map((_, i) => rec.transcribeFile(join(corpus, 'wav', `u${i}.wav`)).text);
  assert.ok(texts.filter((t, i) => t === ['yes', 'no', 'go now'][i]).length >= 2, texts.join('|'));
});

test('two phases: when the dev score stops improving, weight noise goes on from the best weights', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no']);
  const out = join(corpus, 'run');
  const r = await run(corpus, out, tinyConfig({ maxEpochs: 40, learningRate: 0.3, optimizer: { kind: 'sgd', momentum: 0 }, patience: 1, noisePatience: 1, weightNoise: 0.05 }));
  const log = readTrainingLog(join(out, 'log.jsonl')).records;
  const switched = log.find((x) => x.type === 'event' && String(x['message']).startsWith('dev CER stopped improving'));
  assert.ok(switched, 'phase 2 began');
  const phases = log.filter((x) => x.type === 'train').map((x) => x['phase']);
  const first2 = phases.indexOf(2);
  assert.ok(first2 > 0 && phases.slice(first2).every((p) => p === 2) && phases.slice(0, first2).every((p) => p === 1));
  assert.equal(r.reason, 'early stopping');
  // The checkpoint's trainer carries the noise, so a resumed run stays in phase 2.
  const state = readRunState(out)!;
  assert.equal(state.phase, 2);
  const meta = readSafetensors(join(out, state.checkpoint)).metadata;
  assert.equal((JSON.parse(meta['trainer']!) as { options: { weightNoise: number } }).options.weightNoise, 0.05);
  // A finished run resumes to nothing.
  assert.equal((await run(corpus, out, tinyConfig({ maxEpochs: 40, learningRate: 0.3, optimizer: { kind: 'sgd', momentum: 0 }, patience: 1, noisePatience: 1, weightNoise: 0.05 }), true)).reason, 'already finished');
});

test('resuming after kill -9 gives exactly the uninterrupted run', { skip }, async () => {
  const corpus = makeTinyCorpus();
  // A checkpoint after every step, so that the kill lands anywhere, mid-write included.
  const config = tinyConfig({ maxEpochs: 8, checkpointMinutes: 0, patience: 2, noisePatience: 2, weightNoise: 0.01, specAugment: { maxFreqWidth: 5, maxTimeWidth: 5 } });
  const straight = join(corpus, 'straight');
  await run(corpus, straight, config);

  const killed = join(corpus, 'killed');
  const child = fileURLToPath(new URL('./run-child.js', import.meta.url));
  for (const killAfter of [3, 9]) {
    const proc = spawn(process.execPath, [child, corpus, killed, JSON.stringify(config)], { stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
    // Wait until the child has trained `killAfter` steps past where it began, then SIGKILL it.
    const before = existsSync(join(killed, 'log.jsonl')) ? logOf(killed).filter((x) => x.type === 'train').length : 0;
    for (;;) {
      await new Promise((res) => setTimeout(res, 5));
      let n = 0;
      try {
        n = readTrainingLog(join(killed, 'log.jsonl')).records.filter((x) => x.type === 'train').length;
      } catch { /* not there yet */ }
      if (n >= before + killAfter || proc.exitCode !== null) break;
    }
    proc.kill('SIGKILL');
    await exited;
  }
  const r = await run(corpus, killed, config, true);
  assert.ok(r.finished);
  assert.deepEqual(logOf(killed), logOf(straight));
  const resumes = readTrainingLog(join(killed, 'log.jsonl')).records.filter((x) => x.type === 'event' && String(x['message']).startsWith('resumed'));
  assert.ok(resumes.length >= 1, 'the run was resumed');
  const a = readRunState(straight)!, b = readRunState(killed)!;
  assert.equal(b.finished, a.finished);
  const wa = readSafetensors(join(straight, a.checkpoint)), wb = readSafetensors(join(killed, b.checkpoint));
  for (const [name, t] of wa.tensors) assert.deepEqual(wb.tensors.get(name)!.data, t.data, name);
  assert.deepEqual(readFileSync(join(killed, 'model', 'model.safetensors')), readFileSync(join(straight, 'model', 'model.safetensors')));
});

test('a run directory is not overwritten, and a resumed run must keep its data and settings', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no']);
  const out = join(corpus, 'run');
  await run(corpus, out, tinyConfig({ maxEpochs: 1 }));
  await assert.rejects(run(corpus, out, tinyConfig({ maxEpochs: 1 })), /already holds a training run; pass --resume/);
  await assert.rejects(run(corpus, out, tinyConfig({ maxEpochs: 1, learningRate: 0.5 }), true), /another configuration/);
  // Limits may change on resume: the run goes on to the new epoch count.
  const r = await trainingRun({ out, resume: true, limits: { maxEpochs: 2 }, stream: null });
  assert.equal(r.epochs, 2);
});

test('run configs are validated, naming the bad field', () => {
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, bogus: 1 } }), /unknown model field "bogus"/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, training: { patience: 0 } }), /training.patience must be an integer >= 1/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, training: { lr: 1 } }), /unknown training field "lr"/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, frontEnd: { fbank: { dither: 1 } } }), /dither must be 0/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, bidirectional: false }, frontEnd: { fbank: { deltaOrder: 1 } } }), /a streaming model \("bidirectional": false\) needs features that can be computed incrementally: deltas/);
  assert.doesNotThrow(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1, bidirectional: true }, frontEnd: { fbank: { deltaOrder: 1 } } }));
  const c = resolveRunConfig({ hiddenSize: 8, numLayers: 1 });
  assert.equal(c.model.hiddenSize, 8);
  assert.equal((c.frontEnd as FrontEndConfig).fbank.numMelBins, 80);
  assert.equal(c.training.optimizer.kind, 'adam');
  const crnn = { type: 'crnn' as const, height: 16, blocks: [{ channels: 4, pool: [2, 2] as [number, number] }], hiddenSize: 8, numLayers: 1 };
  assert.deepEqual(resolveRunConfig({ model: crnn }).frontEnd, { type: 'image', height: 16 });
  assert.throws(() => resolveRunConfig({ model: crnn, frontEnd: { type: 'image', height: 20 } }), /height 20 differs from the model's height 16/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, frontEnd: { type: 'image', height: 20 } }), /needs a CRNN model/);
});

test('speed/VTLP feature perturbation and a sliding-CMVN front end: the run trains, and the model keeps its front end', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const out = join(corpus, 'run');
  const config = tinyConfig({ maxEpochs: 40, learningRate: 0.02, maxBatchSize: 1, patience: 1000, weightNoise: 0, featurePerturbation: { share: 0.5, speed: [0.9, 1.1], vtlp: [0.9, 1.1] } });
  config.frontEnd = { sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 300 } };
  config.model.hiddenSize = 48;
  const r = await run(corpus, out, config);
  assert.equal(r.reason, 'max epochs');
  const dev = readTrainingLog(join(out, 'log.jsonl')).records.filter((x) => x.type === 'dev') as unknown as { loss: number }[];
  assert.ok(dev[dev.length - 1]!.loss < dev[0]!.loss / 3, `dev loss ${dev[0]!.loss} -> ${dev[dev.length - 1]!.loss}`);
  const saved = JSON.parse(readFileSync(join(out, 'model', 'config.json'), 'utf8')) as { frontEnd: FrontEndConfig };
  assert.deepEqual(saved.frontEnd.slidingCmvn, { window: 300 });
  const rec = Recognizer.load(join(out, 'model'));
  assert.equal(typeof rec.transcribeFile(join(corpus, 'wav', 'u0.wav')).text, 'string');
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, training: { featurePerturbation: { share: 2 } } }), /featurePerturbation.share must be in \[0, 1\]/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, training: { featurePerturbation: { share: 0.5, speed: [1.2, 0.9] } } }), /featurePerturbation.speed must be \[low, high\]/);
});

test('a latency-controlled BiLSTM trains from its config field; its model directory keeps it and streams to the offline transcript', { skip }, async () => {
  const corpus = makeTinyCorpus(['yes', 'no', 'go now']);
  const out = join(corpus, 'run');
  const config = tinyConfig({ maxEpochs: 30, learningRate: 0.02, maxBatchSize: 2, patience: 1000, weightNoise: 0 });
  config.model = { ...config.model, hiddenSize: 32, numLayers: 2, latencyControl: { chunk: 2, rightContext: 1 } };
  const r = await run(corpus, out, config);
  assert.equal(r.reason, 'max epochs');
  const dev = readTrainingLog(join(out, 'log.jsonl')).records.filter((x) => x.type === 'dev') as unknown as { loss: number }[];
  assert.ok(dev[dev.length - 1]!.loss < dev[0]!.loss / 3, `dev loss ${dev[0]!.loss} -> ${dev[dev.length - 1]!.loss}`);
  const saved = JSON.parse(readFileSync(join(out, 'model', 'config.json'), 'utf8')) as { model: Record<string, unknown> };
  assert.deepEqual(saved.model['latencyControl'], { chunk: 2, rightContext: 1 });
  const rec = Recognizer.load(join(out, 'model'));
  assert.equal(rec.loaded.model.streaming, true);
  const wav = join(corpus, 'wav', 'u2.wav');
  const s = rec.createStream();
  const audio = readWav(wav);
  for (let at = 0; at < audio.samples.length; at += 1000) {
    s.acceptWaveform(audio.samples.subarray(at, at + 1000), audio.sampleRate);
    rec.decode(s);
  }
  s.inputFinished();
  rec.decode(s);
  assert.equal(s.final().text, rec.transcribeFile(wav).text);
});
