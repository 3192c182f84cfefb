/**
 * Line perturbation of cached column features: each knob changes what it says and only
 * that; a draw that leaves CTC too few frames is dropped; the recipe field is checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../../src/math/random.js';
import { perturbLine } from '../../../src/train/run/line-perturbation.js';
import { resolveRunConfig } from '../../../src/train/run/run-config.js';
import type { Features } from '../../../src/util/features.js';

const H = 32, W = 120;

/** Column features of a line whose ink fills rows 8..23 in vertical strokes every 6 columns. */
function strokes(): Features {
  const data = new Float32Array(W * H);
  for (let x = 0; x < W; x++) for (let y = 8; y < 24; y++) data[x * H + y] = x % 6 < 2 ? 1 : 0;
  return { data, frames: W, dim: H };
}

const inkRows = (f: Features): number[] => {
  const rows: number[] = [];
  for (let y = 0; y < f.dim; y++) {
    let s = 0;
    for (let x = 0; x < f.frames; x++) s += f.data[x * f.dim + y]!;
    if (s > 0.05 * f.frames * 0.05) rows.push(y);
  }
  return rows;
};
const total = (f: Features): number => f.data.reduce((a, v) => a + v, 0);
const always = (): boolean => true;

test('share 0 leaves every line as it is; a draw that does not fit is dropped', () => {
  const f = strokes(), rng = new Random(1);
  assert.equal(perturbLine(f, rng, { share: 0, resolution: [0.3, 0.3], zoom: [0.7, 0.7] }, always), f);
  assert.equal(perturbLine(f, rng, { share: 1, stretch: [0.6, 0.6] }, (frames) => frames >= W), f, 'narrower than CTC needs');
});

test('resolution: same size, the detail of a coarse copy (strokes blurred, ink kept)', () => {
  const f = strokes();
  const g = perturbLine(f, new Random(2), { share: 1, resolution: [0.4, 0.4] }, always);
  assert.equal(g.frames, W);
  assert.equal(g.dim, H);
  assert.ok(Math.abs(total(g) - total(f)) < 0.08 * total(f), `ink ${total(g)} vs ${total(f)}`);
  // Blurred: values between paper and ink appear, which the sharp strokes never had.
  assert.ok(g.data.filter((v) => v > 0.1 && v < 0.9).length > 0.2 * W * 16);
  assert.ok(g.data.every((v) => v >= -1e-6 && v <= 1 + 1e-6));
});

test('stretch widens or narrows the line, rows unchanged', () => {
  const f = strokes();
  const g = perturbLine(f, new Random(3), { share: 1, stretch: [1.25, 1.25] }, always);
  assert.equal(g.frames, Math.round(W * 1.25));
  assert.deepEqual(inkRows(g), inkRows(f));
});

test('zoom under 1 shrinks the line inside its rows at a random height; over 1 keeps the middle rows', () => {
  const f = strokes();
  const offsets = new Set<number>();
  for (let seed = 0; seed < 20; seed++) {
    const g = perturbLine(f, new Random(seed), { share: 1, zoom: [0.5, 0.5] }, always);
    assert.equal(g.dim, H);
    assert.equal(g.frames, W / 2);
    const rows = inkRows(g);
    assert.ok(rows.length >= 7 && rows.length <= 9, `ink rows ${rows.join(',')}`);
    offsets.add(rows[0]!);
  }
  assert.ok(offsets.size > 3, 'placed at several heights');
  const big = perturbLine(f, new Random(4), { share: 1, zoom: [1.5, 1.5] }, always);
  assert.equal(big.dim, H);
  const rows = inkRows(big);
  assert.ok(rows[0]! <= 5 && rows.at(-1)! >= 26, `ink rows ${rows[0]}..${rows.at(-1)}`);
});

test('the recipe field: text-line models only, every field checked', () => {
  const crnn = { model: { type: 'crnn', height: 32, blocks: [{ channels: 8, pool: [2, 2] }], hiddenSize: 8, numLayers: 1 } };
  const ok = resolveRunConfig({ ...crnn, training: { linePerturbation: { share: 0.5, resolution: [0.4, 1], stretch: [0.9, 1.1], zoom: [0.85, 1.05] } } });
  assert.deepEqual(ok.training.linePerturbation?.zoom, [0.85, 1.05]);
  assert.equal(resolveRunConfig(crnn).training.linePerturbation, null);
  assert.throws(() => resolveRunConfig({ ...crnn, training: { linePerturbation: { share: 0.5, blur: [1, 2] } } }), /unknown linePerturbation field "blur"/);
  assert.throws(() => resolveRunConfig({ ...crnn, training: { linePerturbation: { share: 0.5, zoom: [1.1, 0.9] } } }), /linePerturbation\.zoom must be/);
  assert.throws(() => resolveRunConfig({ ...crnn, training: { linePerturbation: { share: 2 } } }), /linePerturbation\.share/);
  assert.throws(() => resolveRunConfig({ model: { hiddenSize: 8, numLayers: 1 }, training: { linePerturbation: { share: 0.5 } } }), /linePerturbation is for text-line models/);
});
