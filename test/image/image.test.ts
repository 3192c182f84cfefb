/** Image reading (PNG, JPEG, other formats through ffmpeg, malformed files), resampling and line frames. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage, readImage, sniffImageFormat } from '../../src/image/decode-image.js';
import { detectAudioFormat } from '../../src/audio/audio-format.js';
import { columnsToImage, imageToColumns, readLineFeatures, readLineFrames } from '../../src/image/line-image.js';
import { normaliseInk } from '../../src/image/normalise.js';
import { resize, scaleToHeight } from '../../src/image/resize.js';
import { assertClose } from '../helpers/compare.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-image-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** RGBA pixels of a w x h image whose grey level at (x, y) is level(x, y) in 0..255. */
function rgba(w: number, h: number, level: (x: number, y: number) => number, alpha = 255): Buffer {
  const buf = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = 4 * (y * w + x), v = level(x, y);
    buf[o] = v; buf[o + 1] = v; buf[o + 2] = v; buf[o + 3] = alpha;
  }
  return buf;
}

function writePng(name: string, w: number, h: number, level: (x: number, y: number) => number, alpha = 255): string {
  const png = new PNG({ width: w, height: h });
  rgba(w, h, level, alpha).copy(png.data);
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

const stripes = (x: number): number => (x % 4 < 2 ? 0 : 255);

test('PNG reads to greyscale in [0, 1], row-major', () => {
  const img = readImage(writePng('stripes.png', 8, 3, stripes));
  assert.equal(img.width, 8);
  assert.equal(img.height, 3);
  assert.deepEqual([...img.data.subarray(0, 8)], [0, 0, 1, 1, 0, 0, 1, 1]);
});

test('PNG transparency reads as white paper', () => {
  const img = readImage(writePng('clear.png', 4, 2, () => 0, 0));
  assert.ok(img.data.every((v) => v === 1));
});

test('JPEG reads to greyscale (within compression error)', () => {
  const w = 16, h = 8;
  const enc = jpeg.encode({ width: w, height: h, data: rgba(w, h, (x) => x * 16) }, 95);
  const path = join(dir, 'ramp.jpg');
  writeFileSync(path, enc.data);
  const img = readImage(path);
  assert.equal(img.width, w);
  for (let x = 0; x < w; x++) assert.ok(Math.abs(img.data[4 * w + x]! - (x * 16) / 255) < 0.06, `column ${x}`);
});

test('malformed files: errors name the file and say what is wrong', () => {
  const good = PNG.sync.write(Object.assign(new PNG({ width: 20, height: 20 }), {}));
  const cases: [string, Uint8Array | null, RegExp][] = [
    ['missing.png', null, /missing\.png: cannot read image \(ENOENT\)/],
    ['empty.png', new Uint8Array(0), /empty\.png: empty file, not an image/],
    ['truncated.png', good.subarray(0, good.length - 30), /truncated\.png: cannot decode PNG .*truncated or corrupt/],
    ['header-only.png', good.subarray(0, 8), /header-only\.png: cannot decode PNG/],
    ['truncated.jpg', Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2), /truncated\.jpg: cannot decode JPEG/],
  ];
  const corrupt = Buffer.from(good);
  corrupt[40]! ^= 0xff; // inside IHDR/IDAT: a CRC or zlib failure
  cases.push(['corrupt.png', corrupt, /corrupt\.png: cannot decode PNG/]);
  for (const [name, bytes, re] of cases) {
    const path = join(dir, name);
    if (bytes) writeFileSync(path, bytes);
    assert.throws(() => readImage(path), re, name);
  }
});

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

test('WebP, GIF, BMP and TIFF read through ffmpeg, pixel for pixel as the PNG they were made from', { skip: hasFfmpeg ? false : 'ffmpeg is not installed' }, () => {
  const w = 24, h = 10;
  const png = join(dir, 'checker.png');
  writeFileSync(png, PNG.sync.write(Object.assign(new PNG({ width: w, height: h }), { data: rgba(w, h, (x, y) => ((x >> 2) + (y >> 1)) % 2 ? 255 : 0) })));
  const expected = readImage(png);
  // (GIF with a palette made from the image: ffmpeg's default 3-3-2 bit one has no pure white)
  for (const [ext, format, args] of [['webp', 'webp', ['-lossless', '1']], ['gif', 'gif', ['-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse']], ['bmp', 'bmp', []], ['tiff', 'tiff', []]] as const) {
    const path = join(dir, `checker.${ext}`);
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', png, ...args, path]);
    assert.equal(r.status, 0, r.stderr.toString());
    const img = readImage(path);
    assert.equal(sniffImageFormat(readFileSync(path).subarray(0, 16)), format);
    assert.deepEqual([img.width, img.height], [w, h], ext);
    assert.deepEqual(img.data, expected.data, ext);
  }
  // bytes no reader knows: ffmpeg's own complaint, after what sayre saw
  const text = join(dir, 'text.png');
  writeFileSync(text, 'hello, not an image');
  assert.throws(() => readImage(text), /text\.png: not PNG or JPEG \(unrecognised header, 19 bytes\), and ffmpeg cannot decode it either: \S/);
});

test('without ffmpeg on PATH, another image format is refused with what it is and what to do', () => {
  const path = join(dir, 'line.bmp');
  writeFileSync(path, Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]));
  const saved = process.env['PATH'];
  process.env['PATH'] = join(dir, 'no-such-bin');
  try {
    assert.throws(() => readImage(path), /line\.bmp: a BMP image; sayre reads PNG and JPEG itself and other formats through ffmpeg, which is not on PATH \(install ffmpeg, or convert the image to PNG\)/);
  } finally {
    process.env['PATH'] = saved;
  }
  // decodeImage (bytes, browsers too) reads PNG and JPEG only and says so
  assert.throws(() => decodeImage(Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]), 'x.bmp'), /x\.bmp: a BMP image; decodeImage reads PNG and JPEG/);
});

test('sniffing: WebP and WAV share RIFF, and each is told by its form type', () => {
  const riff = (form: string): Uint8Array => Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from(form), Buffer.alloc(20)]);
  assert.equal(sniffImageFormat(riff('WEBP')), 'webp');
  assert.equal(detectAudioFormat(riff('WEBP')), undefined);
  assert.equal(sniffImageFormat(riff('WAVE')), undefined);
  assert.equal(detectAudioFormat(riff('WAVE')), 'wav');
  assert.equal(sniffImageFormat(Buffer.from('GIF89a......')), 'gif');
  assert.equal(sniffImageFormat(Buffer.from('II*\0........')), 'tiff');
  assert.equal(sniffImageFormat(Buffer.from('MM\0*........')), 'tiff');
  assert.equal(sniffImageFormat(Buffer.from('plain text, no image')), undefined);
});

test('resize: area averaging when shrinking keeps block means', () => {
  const data = Float32Array.from({ length: 4 * 6 }, (_, i) => i);
  const out = resize({ width: 6, height: 4, data }, 3, 2);
  // Each output is the mean of a 2x2 block.
  const expect: number[] = [];
  for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) {
    const a = (2 * y) * 6 + 2 * x;
    expect.push((data[a]! + data[a + 1]! + data[a + 6]! + data[a + 7]!) / 4);
  }
  assertClose(out.data, expect, 1e-5);
  // Non-integer factors still preserve the mean of the image.
  const odd = resize({ width: 6, height: 4, data }, 4, 3);
  const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean(odd.data) - mean(data)) < 1e-4);
});

test('resize: bilinear when enlarging reproduces a linear ramp inside', () => {
  const data = Float32Array.from([0, 1, 2, 3]);
  const out = resize({ width: 4, height: 1, data }, 8, 2);
  // Output centres at (j + 0.5) / 2 - 0.5 in input coordinates, clamped to [0, 3].
  const expect = Array.from({ length: 8 }, (_, j) => Math.min(3, Math.max(0, (j + 0.5) / 2 - 0.5)));
  assertClose(out.data.subarray(0, 8), expect, 1e-6);
  assertClose(out.data.subarray(8), expect, 1e-6);
});

test('scaleToHeight keeps the aspect ratio; normaliseInk makes ink 1 and paper 0', () => {
  const img = scaleToHeight({ width: 100, height: 20, data: new Float32Array(2000).fill(0.5) }, 8);
  assert.equal(img.height, 8);
  assert.equal(img.width, 40);
  const data = Float32Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 0.2 : 0.9)); // grey ink on light paper
  const n = normaliseInk({ width: 100, height: 1, data });
  assert.equal(n.data[0], 1);
  assert.equal(n.data[1], 0);
  const inverted = normaliseInk({ width: 100, height: 1, data: data.map((v) => 1 - v) }); // light ink on dark paper
  assert.deepEqual(inverted.data, n.data);
  assert.ok(normaliseInk({ width: 100, height: 1, data: new Float32Array(100).fill(0.7) }).data.every((v) => v === 0), 'blank stays blank');
});

test('readLineFrames: columns become frames of `height` values; either polarity alike', () => {
  const ink = (x: number, y: number): boolean => y >= 5 && y < 15 && x % 8 < 3;
  const path = writePng('line.png', 40, 20, (x, y) => (ink(x, y) ? 0 : 255));
  const f = readLineFrames(path, 10);
  assert.equal(f.height, 10);
  assert.equal(f.width, 20);
  assert.equal(f.frames.length, 200);
  // Column 0 (x 0..1 of the original, ink in rows 5..14) after halving: rows 2 and 7 are half ink.
  assertClose(f.frames.subarray(0, 10), [0, 0, 0.5, 1, 1, 1, 1, 0.5, 0, 0], 1e-5);
  const inverted = readLineFrames(writePng('inverted.png', 40, 20, (x, y) => (ink(x, y) ? 200 : 30)), 10);
  assertClose(inverted.frames, f.frames, 1e-6);
  assert.throws(() => readLineFrames(join(dir, 'nope.png'), 10), /nope\.png/);
  const feats = readLineFeatures(path, 10);
  assert.deepEqual([feats.frames, feats.dim], [20, 10]);
  assert.deepEqual(feats.data, f.frames);
});

test('imageToColumns transposes row-major pixels into column frames; columnsToImage undoes it', () => {
  const img = { width: 3, height: 2, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
  const c = imageToColumns(img);
  assert.deepEqual(Array.from(c.frames), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual([c.width, c.height], [3, 2]);
  assert.deepEqual(columnsToImage(c), img);
});
