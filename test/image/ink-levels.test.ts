/**
 * inkLevels measures a line's paper and ink where its ink is, so that the same line with
 * wide margins (under 1% ink in all) normalises as its tight crop does.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { GreyImage } from '../../src/image/decode-image.js';
import { inkLevels, normaliseInk } from '../../src/image/normalise.js';

const PAPER = Math.fround(0.9), INK = Math.fround(0.1), EDGE = 0.5;

/** Ten vertical strokes, three pixels of ink with an anti-aliased pixel either side, on paper. */
function tightLine(): GreyImage {
  const width = 200, height = 40;
  const data = new Float32Array(width * height).fill(PAPER);
  for (let y = 5; y < 35; y++) {
    for (let k = 0; k < 10; k++) {
      const x = 8 + k * 20;
      data[y * width + x - 1] = EDGE;
      data[y * width + x] = data[y * width + x + 1] = data[y * width + x + 2] = INK;
      data[y * width + x + 3] = EDGE;
    }
  }
  return { width, height, data };
}

function withMargin(img: GreyImage, margin: number, paper: number): GreyImage {
  const width = img.width + 2 * margin, height = img.height + 2 * margin;
  const data = new Float32Array(width * height).fill(paper);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + margin) * width + margin);
  return { width, height, data };
}

test('wide margins leave the ink and paper levels of a tight crop', () => {
  const tight = tightLine();
  const wide = withMargin(tight, 3 * tight.height, PAPER);
  const inkShare = wide.data.filter((v) => v === INK).length / wide.data.length;
  assert.ok(inkShare < 0.01, `the wide image is under 1% ink (${inkShare})`);
  for (const [name, img] of [['tight', tight], ['wide', wide]] as const) {
    const l = inkLevels(img);
    assert.equal(l.ink, INK, `${name}: ink level`);
    assert.equal(l.paper, PAPER, `${name}: paper level`);
    assert.equal(l.inverted, false);
  }
  // the line's pixels normalise alike: solid ink to 1, anti-aliased edges to 0.5, paper to 0
  const n = normaliseInk(wide), m = 3 * tight.height;
  const at = (x: number, y: number): number => n.data[(y + m) * wide.width + x + m]!;
  assert.deepEqual([at(8, 10), at(7, 10), at(0, 10)], [1, 0.5, 0]);
});

test('an inverted line with wide margins: light ink measured in its box', () => {
  const tight = tightLine();
  const inv = { ...tight, data: tight.data.map((v) => 1 - v) };
  const l = inkLevels(withMargin(inv, 3 * tight.height, 1 - PAPER));
  assert.equal(l.inverted, true);
  assert.ok(Math.abs(l.ink - (1 - INK)) < 1e-6 && Math.abs(l.paper - (1 - PAPER)) < 1e-6, JSON.stringify(l));
});

test('a blank image and a solid blot keep the levels of the whole image', () => {
  const blank = { width: 50, height: 20, data: new Float32Array(1000).fill(0.8) };
  assert.equal(inkLevels(blank).contrast, 0);
  // a blot filling a quarter of the image: its box is all ink, so the whole image gives the levels
  const blot = withMargin({ width: 10, height: 10, data: new Float32Array(100).fill(0.1) }, 5, 0.9);
  const l = inkLevels(blot);
  assert.ok(Math.abs(l.paper - 0.9) < 1e-6 && Math.abs(l.ink - 0.1) < 1e-6, JSON.stringify(l));
});
