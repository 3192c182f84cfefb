import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { CrnnModel } from '../../src/model/crnn-model.js';
import type { CtcModel } from '../../src/model/ctc-model.js';
import type { RnntModel } from '../../src/model/transducer-model.js';
import { loadLineModelDir, saveLineModelDir } from '../../src/model/io/line-model-dir.js';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { exportHalfPrecisionDir } from '../../src/model/io/half-precision.js';
import { toFloat16 } from '../../src/math/float16.js';
import { readSafetensors, writeSafetensors } from '../../src/model/io/safetensors.js';
import { assertClose, maxAbsDiff, rng } from '../helpers/compare.js';
import { makeTinyRnntModelDir } from '../helpers/tiny-rnnt-model.js';
import { repoPath, runPython, torchMissing } from './python.js';

const skip = torchMissing();
const ENGLISH = repoPath('models/english');

interface Batch { x: Float32Array; shape: [number, number, number]; lengths: number[]; targets?: number[][] }

/** Random frames [T, B, F] with junk past each length (neither side may read it). */
function batch(T: number, F: number, lengths: number[], seed: number, targets?: number[][]): Batch {
  const next = rng(seed), B = lengths.length;
  const x = Float32Array.from({ length: T * B * F }, (_, i) => (Math.floor(i / (B * F)) < lengths[Math.floor(i / F) % B]! ? 2 * next() - 1 : 7));
  return { x, shape: [T, B, F], lengths, ...(targets ? { targets } : {}) };
}

/** Sayre's outputs for a batch: CTC/CRNN logits; RNN-T encoder and prediction projections and joint logits. */
function sayreOutputs(model: CtcModel | RnntModel | CrnnModel, b: Batch): Record<string, Float32Array> {
  if ('predictionForward' in model) {
    const enc = model.infer(b.x, b.shape, b.lengths);
    const pred = model.predictionForward(b.targets!, false);
    return { enc: enc.logits, pred: pred.predP, logits: model.jointLogits(enc.logits, enc.shape, enc.lengths, pred).logits };
  }
  return { logits: model.infer(b.x, b.shape, b.lengths).logits };
}

/**
 * Runs torch_roundtrip.py on `modelDir`: its outputs of the model as sayre wrote it must be
 * sayre's, and the model it writes back (weights moved) must give in sayre what it gave in torch.
 */
function roundTrip(modelDir: string, b: Batch, load: (dir: string) => CtcModel | RnntModel | CrnnModel): void {
  const work = mkdtempSync(join(tmpdir(), 'sayre-torch-'));
  const inputs = join(work, 'inputs.safetensors'), outputs = join(work, 'outputs.safetensors'), back = join(work, 'from-torch');
  const tensors: [string, { shape: number[]; data: Float32Array | Int32Array }][] = [
    ['x', { shape: [...b.shape], data: b.x }], ['lengths', { shape: [b.lengths.length], data: Int32Array.from(b.lengths) }],
  ];
  if (b.targets) {
    const U = Math.max(...b.targets.map((t) => t.length));
    tensors.push(['targets', { shape: [b.targets.length, U], data: Int32Array.from(b.targets.flatMap((t) => [...t, ...Array<number>(U - t.length).fill(0)])) }]);
    tensors.push(['target_lengths', { shape: [b.targets.length], data: Int32Array.from(b.targets, (t) => t.length) }]);
  }
  writeSafetensors(inputs, tensors);
  runPython([repoPath('test/python/torch_roundtrip.py'), modelDir, inputs, outputs, back]);
  const torch = readSafetensors(outputs).tensors;
  const here = sayreOutputs(load(modelDir), b), moved = sayreOutputs(load(back), b);
  for (const [name, value] of Object.entries(here)) {
    const a = torch.get(`a.${name}`)!.data as Float32Array, m = torch.get(`b.${name}`)!.data as Float32Array;
    assertClose(a, value, 1e-4, `sayre -> torch: ${name}`);
    assertClose(moved[name]!, m, 1e-4, `torch -> sayre: ${name}`);
    assert.ok(maxAbsDiff(a, m) > 1e-3, `${name}: torch's moved weights changed nothing`);
  }
}

describe('PyTorch both ways (python/sayre_torch, Debian python3-torch)', { skip }, () => {
  it('the bundled English CTC model: the same logits in torch, and a model written by torch gives torch\'s logits in sayre', () => {
    roundTrip(ENGLISH, batch(45, 80, [45, 30, 8], 1), (dir) => loadModelDir(dir).model);
  });

  it('a tiny RNN-T: encoder and prediction projections and joint logits', () => {
    roundTrip(makeTinyRnntModelDir('tiny-rnnt-torch'), batch(23, 20, [23, 11], 2, [[3, 5, 7, 5], [9]]), (dir) => loadModelDir(dir).model);
  });

  it('a tiny CRNN over ragged line images', () => {
    const tokenizer = new CharTokenizer();
    const model = new CrnnModel({
      type: 'crnn', height: 12, blocks: [{ channels: 4, pool: [2, 2] }, { channels: 6, kernel: 5, pool: [3, 1] }, { channels: 5 }],
      hiddenSize: 7, numLayers: 2, numClasses: tokenizer.size,
    }, { seed: 3 });
    const dir = join(mkdtempSync(join(tmpdir(), 'sayre-crnn-')), 'tiny-crnn');
    saveLineModelDir(dir, { model, tokenizer });
    roundTrip(dir, batch(33, 12, [33, 21, 9], 3), (d) => loadLineModelDir(d).model);
  });

  it('a CRNN at half precision: sayre narrows as torch\'s .half() does (bit for bit), and torch reads the F16 weights to sayre\'s logits', () => {
    const tokenizer = new CharTokenizer();
    const model = new CrnnModel({
      type: 'crnn', height: 12, blocks: [{ channels: 4, pool: [2, 2] }, { channels: 6, pool: [3, 1] }], hiddenSize: 7, numLayers: 1, numClasses: tokenizer.size,
    }, { seed: 4 });
    const work = mkdtempSync(join(tmpdir(), 'sayre-half-'));
    const full = join(work, 'crnn'), half = join(work, 'crnn-f16');
    saveLineModelDir(full, { model, tokenizer });
    exportHalfPrecisionDir(full, half);
    // the weights, and values at the edges: subnormals, halfway points (ties to even), the top of the range
    const edges = Float32Array.of(0, -0, 2 ** -25, 3 * 2 ** -25, 2 ** -24, 2 ** -26, 1e-8, 1e-5, 6.1e-5, 1 + 2 ** -11, 1 + 3 * 2 ** -11,
      2049, 2051, 65504, 65519, 65520, 1e6, -65520, 0.1, -0.3, 1 / 3);
    const inputs = join(work, 'in.safetensors'), outputs = join(work, 'out.safetensors');
    const weights = readSafetensors(join(full, 'model.safetensors')).tensors;
    writeSafetensors(inputs, [['edges', { shape: [edges.length], data: edges }], ...[...weights].map(([n, t]) => [n, { shape: t.shape, data: t.data }] as [string, { shape: number[]; data: Float32Array }])]);
    runPython([repoPath('test/python/torch_half.py'), inputs, outputs]);
    const torchBits = readSafetensors(outputs).tensors;
    assert.deepEqual(Array.from(toFloat16(edges)), Array.from(torchBits.get('edges')!.data));
    for (const [name, t] of weights) assert.deepEqual(Array.from(toFloat16(t.data as Float32Array)), Array.from(torchBits.get(name)!.data), name);
    roundTrip(half, batch(33, 12, [33, 21, 9], 5), (d) => loadLineModelDir(d).model);
  });
});
