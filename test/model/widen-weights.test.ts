import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CtcModel } from '../../src/model/ctc-model.js';
import type { CtcModelConfig } from '../../src/model/config.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { widenCtcModel, widenModelDir } from '../../src/model/io/widen-weights.js';
import { RnntModel } from '../../src/model/transducer-model.js';
import { randomArray, rng } from '../helpers/compare.js';
import { writeTinyModelDir } from '../helpers/tiny-model.js';

const shapes: [string, CtcModelConfig][] = [
  ['2-layer BiLSTM, frames stacked', { inputDim: 6, hiddenSize: 5, numLayers: 2, numClasses: 7, frameStack: 2, frameStride: 2 }],
  ['3-layer unidirectional LSTM', { inputDim: 6, hiddenSize: 4, numLayers: 3, numClasses: 7, bidirectional: false }],
  ['latency-controlled BiLSTM', { inputDim: 6, hiddenSize: 4, numLayers: 2, numClasses: 7, latencyControl: { chunk: 2, rightContext: 1 } }],
];

/** The largest |a - b| relative to max(1, |b|). */
function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

describe('widening a CTC model (Net2Net)', () => {
  for (const [label, config] of shapes) {
    it(`${label}: the wider model reads exactly as the narrow one, and the new units can learn`, () => {
      const narrow = new CtcModel(config, { seed: 3 });
      const wide = widenCtcModel(narrow, 9, 4);
      assert.equal(wide.config.hiddenSize, 9);
      const next = rng(5);
      const T = 11, B = 3, lengths = [11, 6, 9];
      const x = randomArray(T * B * 6, next, 2);
      const a = narrow.infer(x, [T, B, 6], lengths).logits, b = wide.infer(x, [T, B, 6], lengths).logits;
      assert.ok(a.some((v) => Math.abs(v) > 0.05), 'the narrow model computes something');
      assert.ok(maxRelDiff(b, a) < 1e-5, `outputs differ by ${maxRelDiff(b, a)}`);
      // the new units run (their incoming weights are random) and the output layer's
      // weights from them, zero now, get a gradient: training grows them
      const fc = wide.params.value('fc.weight'), D = config.bidirectional === false ? 1 : 2;
      const newColumn = (c: number): boolean => c % 9 >= config.hiddenSize;
      for (let i = 0; i < fc.length; i++) if (newColumn(i % (D * 9))) assert.equal(fc[i], 0);
      wide.params.zeroGrad();
      const out = wide.forward(x, [T, B, 6], lengths);
      wide.backward(randomArray(out.logits.length, next));
      const g = wide.params.gradient('fc.weight');
      let grown = 0;
      for (let i = 0; i < g.length; i++) if (newColumn(i % (D * 9)) && Math.abs(g[i]!) > 1e-6) grown++;
      assert.ok(grown > 0, 'no gradient reaches the weights out of the new units');
      narrow.dispose();
      wide.dispose();
    });
  }

  it('the same width is a copy; a narrower one is refused', () => {
    const model = new CtcModel(shapes[0]![1], { seed: 1 });
    const same = widenCtcModel(model, 5);
    assert.deepEqual(same.params.data, model.params.data);
    assert.throws(() => widenCtcModel(model, 4), /at least the model's 5/);
    assert.throws(() => widenCtcModel(model, 6.5), /integer/);
  });

  it('widens a model directory: config, CMVN and tokenizer kept, the source recorded, the card left behind; transcripts unchanged', () => {
    const dir = writeTinyModelDir('narrow', (tok) =>
      new CtcModel({ inputDim: 20, hiddenSize: 8, numLayers: 2, numClasses: tok.size, frameStack: 2, frameStride: 2 }, { seed: 2 }));
    writeFileSync(join(dir, 'MODEL_CARD.md'), '# narrow\n');
    const out = join(mkdtempSync(join(tmpdir(), 'sayre-widen-')), 'wide');
    widenModelDir(dir, out, 12);
    assert.ok(!readdirSync(out).includes('MODEL_CARD.md'));
    const before = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const after = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, unknown> & { model: { hiddenSize: number }; info: { widenedFrom: unknown } };
    assert.equal(after.model.hiddenSize, 12);
    assert.deepEqual(after.info.widenedFrom, { model: dir, hiddenSize: 8 });
    assert.deepEqual(after['cmvn'], before['cmvn']);
    assert.deepEqual(after['tokenizer'], before['tokenizer']);
    const n = loadModelDir(dir), w = loadModelDir(out);
    const x = randomArray(40 * 20, rng(9));
    const a = (n.model as CtcModel).infer(x, [40, 1, 20], [40]).logits, b = (w.model as CtcModel).infer(x, [40, 1, 20], [40]).logits;
    assert.ok(maxRelDiff(b, a) < 1e-5);
    assert.equal((w.model as CtcModel).config.hiddenSize, 12);
  });

  it('refuses a transducer and leaves no output behind', () => {
    const dir = writeTinyModelDir('rnnt', (tok) => new RnntModel({
      type: 'rnnt', inputDim: 20, hiddenSize: 8, numLayers: 1, numClasses: tok.size, predEmbedDim: 4, predHiddenSize: 6, jointDim: 6,
    }, { seed: 1 }));
    const parent = mkdtempSync(join(tmpdir(), 'sayre-widen-'));
    assert.throws(() => widenModelDir(dir, join(parent, 'out'), 16), /not a CTC speech model/);
    assert.deepEqual(readdirSync(parent), []);
  });
});
