/**
 * lineInput: the ink box reaches the model at the same size whatever the image's
 * resolution or margins, and the columns map back to the source pixels; placeImage, which
 * crops it and sets it on paper.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../src/image/decode-image.js';
import { INK_MARGIN, lineInput } from '../../src/image/line-input.js';
import { placeImage } from '../../src/image/place-image.js';
import { resize } from '../../src/image/resize.js';

const sample = readImage(fileURLToPath(new URL('../../../samples/line-handwriting.png', import.meta.url)));

/** Rows of `f` holding ink (any column above 0.5). */
function inkRows(f: { data: Float32Array; frames: number; dim: number }): number[] {
  const rows: number[] = [];
  for (let y = 0; y < f.dim; y++) {
    let ink = false;
    for (let x = 0; x < f.frames && !ink; x++) ink = f.data[x * f.dim + y]! > 0.5;
    if (ink) rows.push(y);
  }
  return rows;
}

test('the ink box fills the same rows at every resolution: 26 of 32, margins of paper around it', () => {
  const inner = Math.round(32 / (1 + 2 * INK_MARGIN));
  assert.equal(inner, 26);
  for (const s of [1, 2, 3]) {
    const f = lineInput(resize(sample, sample.width * s, sample.height * s), 32)!.features;
    const rows = inkRows(f);
    assert.ok(rows[0]! >= 3 && rows.at(-1)! <= 28, `scale ${s}: ink rows ${rows[0]}..${rows.at(-1)}`);
    assert.ok(rows.at(-1)! - rows[0]! >= 20, `scale ${s}: the ink spans the inner rows`);
  }
});

test('an enlarged copy of a line gives the same columns (one more at most), values within resampling blur', () => {
  const a = lineInput(sample, 32)!;
  // Twice: the same ink box, doubled. Three times: bilinear enlargement leaves a faint column
  // past the last one (the box is 1471 px wide, not 1470), one more column at most.
  for (const s of [2, 3]) {
    const b = lineInput(resize(sample, sample.width * s, sample.height * s), 32)!;
    assert.ok(Math.abs(b.features.frames - a.features.frames) <= (s === 2 ? 0 : 1), `scale ${s}: ${b.features.frames} columns against ${a.features.frames}`);
    if (s === 2) {
      // Same columns: the values differ only by the enlargement's blur (0.0085 on average).
      let diff = 0;
      for (let i = 0; i < a.features.data.length; i++) diff += Math.abs(a.features.data[i]! - b.features.data[i]!);
      assert.ok(diff / a.features.data.length < 0.015, `mean difference ${diff / a.features.data.length}`);
    }
    // Columns map to source pixels: the same place in the line at both scales.
    assert.ok(Math.abs(b.left / s - a.left) < 1 && Math.abs(b.scale / s - a.scale) < 0.02 * a.scale, `scale ${s}: left ${b.left} scale ${b.scale} vs ${a.left} ${a.scale}`);
  }
});

test('margins around the line do not change its columns; a blank image has no input', () => {
  const a = lineInput(sample, 32)!;
  // Twice the line's height on every side leaves under 1% of the pixels ink: the ink level
  // must still come out the same (it came from the whole image's 1st percentile).
  for (const p of [40, 2 * sample.height]) {
    const b = lineInput(placeImage(sample, sample.width + 2 * p, sample.height + 2 * p, p, p, 1), 32)!;
    assert.deepEqual(b.features.data, a.features.data, `margin ${p}`);
    assert.ok(Math.abs(b.left - (a.left + p)) < 1e-9, `left ${b.left} against ${a.left} + ${p}`);
  }
  assert.equal(lineInput({ width: 50, height: 20, data: new Float32Array(1000).fill(1) }, 32), undefined);
});

test('placeImage: margins on paper, crops by negative offsets, clipped on every side', () => {
  const img = { width: 3, height: 2, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
  assert.deepEqual(Array.from(placeImage(img, 5, 4, 1, 1, 9).data), [9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 4, 5, 6, 9, 9, 9, 9, 9, 9]);
  assert.deepEqual(placeImage(img, 2, 1, -1, -1), { width: 2, height: 1, data: Float32Array.of(5, 6) });
  assert.deepEqual(Array.from(placeImage(img, 2, 3, 1, 2).data), [0, 0, 0, 0, 0, 1]);
  assert.deepEqual(Array.from(placeImage(img, 2, 2, 5, 0).data), [0, 0, 0, 0], 'wholly outside');
});
