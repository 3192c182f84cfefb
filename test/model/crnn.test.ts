/**
 * The CRNN: config validation, gradients by finite differences, padded batches equal
 * samples alone, and a tiny model overfitting a few rendered lines to zero errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { parseFontList } from '../../src/corpus/lines/fonts.js';
import { plainAugmentation } from '../../src/corpus/lines/presentation.js';
import { renderLine } from '../../src/corpus/lines/render-line.js';
import { ctcGreedyDecode } from '../../src/decode/greedy.js';
import { readLineFrames } from '../../src/image/line-image.js';
import { ctcLoss } from '../../src/losses/ctc.js';
import { resolveCrnnModelConfig } from '../../src/model/crnn-config.js';
import { CrnnModel } from '../../src/model/crnn-model.js';
import { loadCrnnCheckpoint } from '../../src/train/crnn-checkpoint.js';
import { Trainer } from '../../src/train/trainer.js';
import { haveCommand } from '../helpers/have-command.js';
import { TINY_CRNN_CONFIG as tiny, randomLineBatch as randomBatch } from '../helpers/tiny-crnn-batch.js';
import { checkFiniteDifferences } from '../nn/finite-diff.js';

test('crnn config: defaults, reductions and errors naming the field', () => {
  const c = resolveCrnnModelConfig(tiny);
  assert.equal(c.blocks[0]!.kernel, 3);
  assert.equal(c.bidirectional, true);
  assert.throws(() => resolveCrnnModelConfig({ ...tiny, blocks: [{ channels: 2, kernel: 2 }] }), /kernel" must be odd/);
  assert.throws(() => resolveCrnnModelConfig({ ...tiny, height: 2 }), /leaves no rows/);
  assert.throws(() => resolveCrnnModelConfig({ ...tiny, colour: true }), /unknown field "colour"/);
  assert.throws(() => resolveCrnnModelConfig({ inputDim: 3 }), /"type": "crnn"/);
  const m = new CrnnModel(tiny, { backend: new JsBackend() });
  assert.equal(m.featureSize, 4 * 2); // 4 channels x 8/2/2 rows
  assert.deepEqual([...m.outputLengths([9, 4, 1])], [4, 2, 0]);
  assert.ok(m.params.has('conv.1.weight') && m.params.has('lstm.weight_ih_l0_reverse') && m.params.has('fc.bias'));
});

test('crnn gradients (conv, LSTM, Linear) match finite differences of the CTC loss', () => {
  const model = new CrnnModel(tiny, { backend: new JsBackend(), seed: 2 });
  const widths = [12, 8];
  const { x, shape } = randomBatch(widths, 8, 4);
  const targets = [[1, 2, 3], [2]];
  const loss = (): number => {
    const out = model.forward(x, shape, widths, true);
    return ctcLoss(out.logits, out.shape, targets, out.lengths, { grad: false, reduction: 'sum' }).loss;
  };
  model.params.zeroGrad();
  const out = model.forward(x, shape, widths, true);
  model.backward(ctcLoss(out.logits, out.shape, targets, out.lengths, { reduction: 'sum' }).grad!);
  for (const name of ['conv.0.weight', 'conv.0.bias', 'conv.1.weight', 'lstm.weight_ih_l0', 'fc.weight']) {
    checkFiniteDifferences(name, model.params.value(name), model.params.gradient(name), loss, { count: 12, eps: 1e-2, tol: 5e-3 });
  }
});

test('crnn: each image of a padded batch gets the logits it gets alone', () => {
  const model = new CrnnModel(tiny, { backend: new JsBackend(), seed: 3 });
  const widths = [13, 6, 9];
  const { x, shape } = randomBatch(widths, 8, 5);
  const out = model.infer(x, shape, widths);
  widths.forEach((w, b) => {
    const alone = new Float32Array(w * 8);
    for (let t = 0; t < w; t++) alone.set(x.subarray((t * 3 + b) * 8, (t * 3 + b + 1) * 8), t * 8);
    const o = model.infer(alone, [w, 1, 8], [w]);
    assert.equal(o.lengths[0], out.lengths[b]);
    for (let t = 0; t < o.lengths[0]!; t++) {
      for (let k = 0; k < 4; k++) {
        assert.ok(Math.abs(o.logits[t * 4 + k]! - out.logits[(t * 3 + b) * 4 + k]!) < 1e-5, `image ${b} frame ${t}`);
      }
    }
  });
});

const canRender = haveCommand('convert', ['-version']) && haveCommand('fc-list', ['--version']);
const dir = mkdtempSync(join(tmpdir(), 'sayre-crnn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a tiny CRNN overfits a few rendered lines to zero errors', { skip: canRender ? false : 'needs ImageMagick convert and fontconfig' }, async () => {
  const { execFileSync } = await import('node:child_process');
  const font = parseFontList(execFileSync('fc-list', [':', 'file', 'family', 'style'], { encoding: 'utf8' })).find((f) => /DejaVuSans\.ttf$|LiberationSans-Regular/.test(f.file));
  if (!font) return; // fonts-dejavu / fonts-liberation not installed
  const texts = ['hey', 'meet me', 'the cat sat', 'a dog ran'];
  const H = 20;
  const frames = [];
  for (const [i, text] of texts.entries()) {
    const path = join(dir, `${i}.png`);
    const augmentation = { ...plainAugmentation(), pointSize: 18, margin: [2, 2, 2, 2] as [number, number, number, number] };
    await renderLine({ id: String(i), split: 'train', text, font, rendering: 'varied', augmentation }, path);
    frames.push(readLineFrames(path, H));
  }
  const tok = new CharTokenizer([...new Set(texts.join(''))].sort().join(''));
  const widths = frames.map((f) => f.width), W = Math.max(...widths), B = texts.length;
  const x = new Float32Array(W * B * H);
  frames.forEach((f, b) => { for (let t = 0; t < f.width; t++) x.set(f.frames.subarray(t * H, (t + 1) * H), (t * B + b) * H); });
  const targets = texts.map((t) => tok.encode(t));
  const model = new CrnnModel({
    type: 'crnn', height: H, blocks: [{ channels: 8, pool: [2, 2] }, { channels: 16, pool: [2, 1] }],
    hiddenSize: 32, numLayers: 1, numClasses: tok.size,
  }, { seed: 1 });
  const trainer = new Trainer(model, { learningRate: 0.01, optimizer: { kind: 'adam' }, seed: 1 });
  const batch = { x, shape: [W, B, H] as [number, number, number], lengths: widths, targets };
  const decode = (m: CrnnModel): string[] => {
    const out = m.infer(x, [W, B, H], widths);
    return ctcGreedyDecode(out.logits, out.shape, out.lengths).map((h) => tok.decode(h.tokens));
  };
  let step = 0;
  for (; step < 400; step++) {
    if (step % 25 === 0 && decode(model).every((s, b) => s === texts[b])) break;
    trainer.trainStep(batch);
  }
  assert.deepEqual(decode(model), texts, `after ${step} steps`);
  // The checkpoint code saves and reloads it exactly, and a resumed trainer continues identically.
  const ck = join(dir, 'crnn.safetensors');
  trainer.save(ck);
  const loaded = loadCrnnCheckpoint(ck);
  assert.deepEqual(loaded.model.config, model.config);
  assert.deepEqual(loaded.model.params.data, model.params.data);
  const resumed = Trainer.fromCheckpoint(loaded, ck, undefined).trainer;
  assert.equal(resumed.step, trainer.step);
  const a = trainer.trainStep(batch), b = resumed.trainStep(batch);
  assert.equal(a.loss, b.loss);
  assert.deepEqual(resumed.model.params.data, model.params.data);
  loaded.model.dispose();
  model.dispose();
});
