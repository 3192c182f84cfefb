import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GreyImage } from '../../src/image/decode-image.js';
import { pageLines } from '../../src/image/page-lines.js';

/** White paper W x H with black vertical strokes (every third column) in the given row ranges. */
function block(W: number, H: number, rows: [number, number][]): GreyImage {
  const data = new Float32Array(W * H).fill(1);
  for (const [a, b] of rows) for (let y = a; y <= b; y++) for (let x = 4; x < W - 4; x += 3) data[y * W + x] = 0;
  return { width: W, height: H, data };
}

test('pageLines: a block cut into its lines, each widened to the middle of the gaps; one line is the whole image; blank is none', () => {
  const img = block(90, 100, [[10, 24], [40, 55], [70, 84]]);
  const lines = pageLines(img);
  assert.deepEqual(lines.map((l) => [l.top, l.bottom]), [[0, 32], [33, 62], [63, 99]]);
  for (const l of lines) {
    assert.equal(l.image.width, 90);
    assert.equal(l.image.height, l.bottom - l.top + 1);
    assert.deepEqual(l.image.data, img.data.subarray(l.top * 90, (l.bottom + 1) * 90), 'the block\'s own pixels of those rows');
  }
  const one = block(90, 30, [[8, 20]]);
  assert.deepEqual(pageLines(one).map((l) => [l.top, l.bottom, l.image.data.length]), [[0, 29, 90 * 30]]);
  // Inverted (light ink on dark paper) splits alike.
  const inverted = { ...img, data: img.data.map((v) => 1 - v) };
  assert.deepEqual(pageLines(inverted).map((l) => [l.top, l.bottom]), [[0, 32], [33, 62], [63, 99]]);
  assert.deepEqual(pageLines(block(90, 40, [])), []);
});
