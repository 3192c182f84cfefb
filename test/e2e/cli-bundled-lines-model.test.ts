/** The bundled text-line model (models/text-lines) reads the sample lines through the CLI and the library. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { type GreyImage, readImage } from '../../src/image/decode-image.js';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cer } from '../../src/metrics/error-rate.js';
import type { LineModelDirConfig } from '../../src/model/io/line-model-dir.js';
import { bundledLineModelDir, LineRecognizer } from '../../src/recognizer/line-recognizer.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sample = (name: string): string => fileURLToPath(new URL(`../../../samples/${name}`, import.meta.url));
const skip = existsSync(`${bundledLineModelDir()}config.json`) ? false : 'no bundled text-line model (npm run recipe:text-lines:bundle)';

test('sayre transcribe --model text-lines reads a printed sample line; eval scores the sample manifest', { skip }, async () => {
  const r = await run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', sample('line-print.png')]);
  assert.equal(r.stdout.trim(), 'Hey, what a lovely day for a walk!');
  const ev = await run(process.execPath, [MAIN, 'eval', '--model', 'text-lines', '--manifest', sample('lines.jsonl'), '--report', '/dev/null']);
  assert.match(ev.stdout, /%CER [\d.]+ \[ \d+ \/ 97,/);
  assert.match(ev.stdout, /3 lines in/);
});

test('LineRecognizer.load() is the bundled model; it reads a handwriting-like sample closely', { skip }, () => {
  const rec = LineRecognizer.load();
  const bundled = JSON.parse(readFileSync(`${bundledLineModelDir()}config.json`, 'utf8')) as LineModelDirConfig;
  assert.equal(rec.height, bundled.model.height);
  const t = rec.transcribeFile(sample('line-handwriting.png'));
  assert.ok(cer(['Meet me at the station at nine.'], [t.text]) < 0.1, t.text);
  rec.dispose();
});

/** Grey pixels as an 8-bit RGBA PNG file. */
function writeGreyPng(path: string, img: GreyImage): void {
  const png = new PNG({ width: img.width, height: img.height });
  img.data.forEach((v, i) => {
    const g = Math.round(255 * v);
    png.data.set([g, g, g, 255], 4 * i);
  });
  writeFileSync(path, PNG.sync.write(png));
}

test('sayre transcribe --model text-lines reads an image of two lines line by line (text and --json)', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-block-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const print = readImage(sample('line-print.png')), hand = readImage(sample('line-handwriting.png'));
  const W = Math.max(print.width, hand.width), gap = 20, H = print.height + gap + hand.height;
  const data = new Float32Array(W * H).fill(1);
  for (let y = 0; y < print.height; y++) data.set(print.data.subarray(y * print.width, (y + 1) * print.width), y * W);
  for (let y = 0; y < hand.height; y++) data.set(hand.data.subarray(y * hand.width, (y + 1) * hand.width), (print.height + gap + y) * W);
  const file = join(dir, 'block.png');
  writeGreyPng(file, { width: W, height: H, data });
  const rec = LineRecognizer.load();
  const want = rec.transcribePageFile(file);
  rec.dispose();
  assert.equal(want.lines.length, 2);
  const text = await run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', file]);
  assert.equal(text.stdout, `${want.lines[0]!.text}\n${want.lines[1]!.text}\n`);
  const two = await run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', file, sample('line-print.png')]);
  assert.deepEqual(two.stdout.trim().split('\n').map((l) => l.split('\t')[0]), [file, file, sample('line-print.png')], 'each line as FILE<tab>TEXT');
  const json = JSON.parse((await run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', '--json', file])).stdout) as {
    text: string; width: number; lines: { text: string; top: number; bottom: number }[]; words: { word: string; line: number }[];
  };
  assert.equal(json.text, want.text);
  assert.equal(json.width, W);
  assert.deepEqual(json.lines.map((l) => [l.text, l.top, l.bottom]), want.lines.map((l) => [l.text, l.top, l.bottom]));
  assert.deepEqual([...new Set(json.words.map((w) => w.line))], [0, 1]);

  // eval reads line images: one of two lines is scored as read empty, with its manifest line named, and the rest scored
  const manifest = join(dir, 'm.jsonl');
  writeFileSync(manifest, `${JSON.stringify({ image: 'block.png', text: 'Two lines here' })}\n${JSON.stringify({ image: sample('line-print.png'), text: 'Hey, what a lovely day for a walk!' })}\n`);
  const ev = await run(process.execPath, [MAIN, 'eval', '--model', 'text-lines', '--manifest', manifest, '--report', join(dir, 'r.txt')]);
  assert.match(ev.stderr, /m\.jsonl:1: not read, scored as empty text: .*expected one line of text, found 2/);
  assert.match(ev.stdout, /%CER [\d.]+ \[ 14 \/ 48, 0 ins, 14 del, 0 sub \]/);
  assert.match(ev.stdout, /1 of 2 images not read/);
});
