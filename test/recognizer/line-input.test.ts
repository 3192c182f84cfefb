/**
 * Robust line input with the bundled text-line model: tight crops, wide margins, inverted
 * polarity and other heights read like the plain image; a blank image reads as empty text;
 * an image of several lines is refused with an error that says a single line is expected.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type GreyImage, readImage } from '../../src/image/decode-image.js';
import { inkBox, textLines } from '../../src/image/line-layout.js';
import { placeImage } from '../../src/image/place-image.js';
import { resize } from '../../src/image/resize.js';
import { cer } from '../../src/metrics/error-rate.js';
import { bundledLineModelDir, LineRecognizer, NotOneLineError } from '../../src/recognizer/line-recognizer.js';

const sample = (name: string): string => fileURLToPath(new URL(`../../../samples/${name}`, import.meta.url));
const skip = existsSync(`${bundledLineModelDir()}config.json`) ? false : 'no bundled text-line model (npm run recipe:text-lines:bundle)';

/** `img` cropped to its dark pixels, no margin at all. */
function tight(img: GreyImage): GreyImage {
  const dark = { ...img, data: img.data.map((v) => (v < 0.5 ? 1 : 0)) };
  const b = inkBox(dark, 1)!;
  return placeImage(img, b.right - b.left + 1, b.bottom - b.top + 1, -b.left, -b.top);
}

/** `img` on white paper `m` times its height wide on every side. */
function widened(img: GreyImage, m: number): GreyImage {
  const p = Math.round(img.height * m);
  return placeImage(img, img.width + 2 * p, img.height + 2 * p, p, p, 1);
}

/** Two images one above the other, with a gap of half a line. */
function stacked(a: GreyImage, b: GreyImage): GreyImage {
  const W = Math.max(a.width, b.width), gap = Math.round(a.height / 2), H = a.height + gap + b.height;
  const data = new Float32Array(W * H).fill(1);
  for (let y = 0; y < a.height; y++) data.set(a.data.subarray(y * a.width, (y + 1) * a.width), y * W);
  for (let y = 0; y < b.height; y++) data.set(b.data.subarray(y * b.width, (y + 1) * b.width), (a.height + gap + y) * W);
  return { width: W, height: H, data };
}

test('line layout: one band for a line (thin rules ignored), two for two lines; no ink box on blank paper', () => {
  const W = 60;
  const img = (rows: (y: number) => boolean, H: number): GreyImage => ({ width: W, height: H, data: Float32Array.from({ length: W * H }, (_, i) => (rows(Math.floor(i / W)) && i % W > 5 ? 1 : 0)) });
  assert.equal(textLines(img((y) => (y >= 5 && y < 20) || y === 24, 30)).length, 1, 'a line and an underline');
  assert.equal(textLines(img((y) => (y >= 5 && y < 20) || (y >= 30 && y < 45), 50)).length, 2);
  assert.equal(inkBox(img(() => false, 10)), undefined);
  // A slanted underline 2 px thick drifting over 10 rows, as corpus renderings rotate them: no vertical stroke, not a line.
  const H = 45, slanted: GreyImage = { width: W, height: H, data: new Float32Array(W * H) };
  for (let y = 5; y < 25; y++) for (let x = 6; x < W; x += 3) slanted.data[y * W + x] = 1;
  for (let x = 6; x < W; x++) {
    const y0 = 33 + Math.floor((x * 9) / W);
    slanted.data[y0 * W + x] = slanted.data[(y0 + 1) * W + x] = 1;
  }
  assert.equal(textLines(slanted).length, 1, 'a line and a slanted underline');
  // Faint thin letters, where only their middle rows pass as ink (rows 6-8), over a dark underline as thick (rows 17-19),
  // as a low-contrast JPEG of a thin face gives: the underline's unbroken stroke marks it, though it is as tall as the text.
  const faint: GreyImage = { width: 450, height: 23, data: new Float32Array(450 * 23) };
  for (let x = 4; x < 440; x++) {
    if (x % 5 < 2 && x % 60 < 50) for (let y = 6; y <= 8; y++) faint.data[y * 450 + x] = 1; // letters: two-pixel strokes, gaps, spaces between words
    if (x % 150 === 10) for (let y = 3; y <= 12; y++) faint.data[y * 450 + x] = 1; // three ascenders, too few for their rows to count
    for (let y = 17; y <= 19; y++) faint.data[y * 450 + x] = 1;
  }
  assert.equal(textLines(faint).length, 1, 'faint text over an underline as thick as its band');
});

test('the bundled model reads tight crops, wide margins and inverted images as the plain sample, and twice its height within one letter', { skip }, () => {
  const rec = LineRecognizer.load(undefined, { lm: false });
  for (const name of ['line-print.png', 'line-handwriting.png']) {
    const img = readImage(sample(name));
    const plain = rec.transcribeImage(img).text;
    const variants: [string, GreyImage][] = [
      ['tight', tight(img)], ['wide margins', widened(img, 2)], ['inverted', { ...img, data: img.data.map((v) => 1 - v) }],
      ['inverted and tight', (() => { const t = tight(img); return { ...t, data: t.data.map((v) => 1 - v) }; })()],
    ];
    for (const [what, v] of variants) assert.equal(rec.transcribeImage(v).text, plain, `${name}, ${what}`);
    // Resampling moves the ink box's faint edges by a pixel or two (the 32-row input comes out
    // ~2% wider or narrower), which may flip one borderline letter: at most one edit.
    const twice = rec.transcribeImage(resize(img, img.width * 2, img.height * 2)).text;
    assert.ok(cer(plain, twice) * plain.length <= 1, `${name}, twice the height: ${JSON.stringify(twice)} against ${JSON.stringify(plain)}`);
  }
  rec.dispose();
});

test('a blank image reads as empty text; several lines are refused with an error saying one line is expected', { skip }, () => {
  const rec = LineRecognizer.load(undefined, { lm: false });
  const white: GreyImage = { width: 300, height: 40, data: new Float32Array(12000).fill(1) };
  const grey: GreyImage = { width: 300, height: 40, data: Float32Array.from({ length: 12000 }, (_, i) => 0.6 + 0.02 * Math.sin(i)) };
  const black: GreyImage = { width: 200, height: 30, data: new Float32Array(6000) };
  for (const [what, img] of [['white', white], ['faintly noisy grey', grey], ['black', black]] as const) {
    const t = rec.transcribeImage(img);
    assert.equal(t.text, '', what);
    assert.deepEqual(t.words, []);
  }
  const line = readImage(sample('line-print.png'));
  assert.throws(() => rec.transcribeImage(stacked(line, line)), (err: Error) => err instanceof NotOneLineError && /expected one line of text, found 2/.test(err.message));
  rec.dispose();
});

test('a block of lines reads line by line (transcribePage), each as the line alone reads; one line reads as transcribeImage', { skip }, () => {
  const rec = LineRecognizer.load(undefined, { lm: false });
  const print = readImage(sample('line-print.png')), hand = readImage(sample('line-handwriting.png'));
  const page = rec.transcribePage(stacked(print, hand));
  assert.deepEqual(page.lines.map((l) => l.text), [rec.transcribeImage(print).text, rec.transcribeImage(hand).text]);
  assert.equal(page.text, page.lines.map((l) => l.text).join('\n'));
  assert.ok(page.lines[0]!.bottom >= print.height - 1 && page.lines[1]!.top <= print.height + Math.round(print.height / 2), 'each line\'s rows hold it');
  const single = rec.transcribePage(print);
  assert.equal(single.lines.length, 1);
  assert.equal(single.text, rec.transcribeImage(print).text);
  assert.deepEqual(rec.transcribePage({ width: 50, height: 20, data: new Float32Array(1000).fill(1) }).lines, []);
  rec.dispose();
});
