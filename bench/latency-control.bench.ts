/**
 * What a training step of the streaming recipe (recipes/english-streaming.json: a 4 x 148
 * latency-controlled BiLSTM, chunks of 4 frames with 4 of right context) costs beside a
 * unidirectional 4 x 256 LSTM (the streaming model before it, about as many parameters)
 * and the same BiLSTM without latency control: one batch of the recipe's size (16
 * utterances, 8000 feature frames of 80 mel bins), forward, CTC loss, backward and the Adam
 * update, on the default backend; ratios against the unidirectional LSTM's step.
 *
 *   npm run bench -- latency-control
 *   SAYRE_THREADS=1                   threads (default: every core)
 *   SAYRE_BENCH_SECONDS=5             minimum timed seconds per model
 */
import { readFileSync } from 'node:fs';
import { getBackend } from '../src/backend/index.js';
import { Random } from '../src/math/random.js';
import { type CtcModelConfig } from '../src/model/config.js';
import { CtcModel } from '../src/model/ctc-model.js';
import { Trainer } from '../src/train/trainer.js';
import { timeSteps } from './step-speed.js';

const B = 16, F = 80, C = 29;
const recipe = (name: string): Omit<CtcModelConfig, 'inputDim' | 'numClasses'> =>
  (JSON.parse(readFileSync(new URL(`../../recipes/${name}.json`, import.meta.url), 'utf8')) as { model: Omit<CtcModelConfig, 'inputDim' | 'numClasses'> }).model;

const rng = new Random(1);
const lengths = Array.from({ length: B }, () => 400 + rng.int(201)); // 4-6 s
const T = Math.max(...lengths);
const x = new Float32Array(T * B * F);
rng.fillNormal(x);
const targets = lengths.map((L) => Int32Array.from({ length: Math.floor(L / 8) }, () => 1 + rng.int(C - 1)));
const frames = lengths.reduce((a, b) => a + b, 0);
const streaming = recipe('english-streaming');
const { latencyControl: _, ...bilstm } = streaming;
const unidirectional = { ...bilstm, hiddenSize: 256, bidirectional: false };

const backend = getBackend();
console.log(`${backend.name} x${backend.threads}; batch of ${B} utterances, ${frames} feature frames (${(frames / 100).toFixed(0)} s of audio)`);
const rows: [string, number][] = [];
for (const [name, model] of [
  ['4 x 256 unidirectional LSTM', unidirectional],
  ['english-streaming (4 x 148 BiLSTM, chunk 4, right context 4)', streaming],
  ['4 x 148 BiLSTM without latency control', bilstm],
] as const) {
  const m = new CtcModel({ ...model, inputDim: F, numClasses: C }, { backend, seed: 0 });
  const params = m.params.entries.reduce((n, e) => n + e.size, 0);
  const trainer = new Trainer(m, { learningRate: 1e-4, optimizer: { kind: 'adam' } });
  const { fps, steps } = await timeSteps(frames, () => trainer.trainStepAsync({ x, shape: [T, B, F], lengths, targets }));
  const ms = (frames / fps) * 1000;
  rows.push([name, ms]);
  console.log(`${name}: ${(params / 1e6).toFixed(2)} M parameters, ${ms.toFixed(0)} ms a step (median of ${steps}), ${(ms / rows[0]![1]).toFixed(2)}x the unidirectional LSTM's`);
  m.dispose();
}
