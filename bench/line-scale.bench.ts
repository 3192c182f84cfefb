/**
 * How much a line's reading depends on the image's resolution: a text-line model (by
 * default the bundled models/text-lines, decoded as it decodes by default) and tesseract 5
 * (`--psm 7`, the peer) read the plain renderings of a line corpus's split as they are,
 * enlarged twice and shrunk to half (area averaging down, bilinear up: src/image/resize.ts),
 * in the same run. Per system and scale: CER, and how many lines read differently from
 * the same line at its own size. A reader that depends on pixels rather than letters
 * changes its reading of many lines while its CER barely moves.
 *
 *   SAYRE_LINES_CORPUS  corpus folder (default runs/corpus-text-lines, as recipe:text-lines builds it)
 *   SAYRE_LINES_SPLIT   manifest to read (default heldout-test)
 *   SAYRE_LINES_MODEL   text-line model directory (default the bundled models/text-lines)
 *   SAYRE_LINES_N       plain lines to use (default all)
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createBackend } from '../src/backend/index.js';
import { readLineManifest } from '../src/data/lines/lines-manifest.js';
import { type GreyImage, readImage } from '../src/image/decode-image.js';
import { resize } from '../src/image/resize.js';
import { scoreTranscripts } from '../src/metrics/error-rate.js';
import { bundledLineModelDir, LineRecognizer } from '../src/recognizer/line-recognizer.js';
import { clean, tesseractMissing, tesseractRead } from './tesseract.js';

const corpus = process.env['SAYRE_LINES_CORPUS'] ?? 'runs/corpus-text-lines';
const split = process.env['SAYRE_LINES_SPLIT'] ?? 'heldout-test';
const modelDir = process.env['SAYRE_LINES_MODEL'] ?? bundledLineModelDir();
const manifest = join(corpus, `${split}.jsonl`);
if (!existsSync(manifest) || !existsSync(join(modelDir, 'config.json'))) {
  console.log(`needs ${manifest} (npm run recipe:text-lines) and a text-line model at ${modelDir}: nothing to measure`);
  process.exit(0);
}
const entries = readLineManifest(manifest).filter((e) => e.extra['rendering'] === 'plain').slice(0, Number(process.env['SAYRE_LINES_N'] ?? Infinity));
const scales = [1, 2, 0.5];
console.log(`${entries.length} plain lines of ${manifest}; scales ${scales.join(', ')}; ${new Date().toISOString().slice(0, 10)}`);

const scaled = (img: GreyImage, s: number): GreyImage => (s === 1 ? img : resize(img, Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s))));

const dir = mkdtempSync(join(tmpdir(), 'sayre-line-scale-'));
/** `img` as an 8-bit greyscale PNG file tesseract can read. */
function pngFile(img: GreyImage, name: string): string {
  const png = new PNG({ width: img.width, height: img.height });
  for (let i = 0; i < img.data.length; i++) {
    const v = Math.max(0, Math.min(255, Math.round(img.data[i]! * 255)));
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = v;
    png.data[4 * i + 3] = 255;
  }
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

const readers: Record<string, (img: GreyImage, i: number, s: number) => string> = {};
const rec = LineRecognizer.load(modelDir, { backend: createBackend('auto', { threads: 1 }) });
readers['sayre'] = (img) => clean(rec.transcribeImage(img).text);
console.log(`sayre: ${modelDir}, ${rec.decoding}`);
const missing = tesseractMissing();
if (missing) console.log(`tesseract: not measured (${missing})`);
else readers['tesseract'] = (img, i, s) => tesseractRead(pngFile(img, `${i}-${s}.png`));

const images = entries.map((e) => readImage(e.imagePath));
console.log('\n| system | scale | CER | lines read differently from scale 1 |\n|---|---:|---:|---:|');
for (const [name, read] of Object.entries(readers)) {
  const base = images.map((img, i) => read(img, i, 1));
  for (const s of scales) {
    const hyps = s === 1 ? base : images.map((img, i) => read(scaled(img, s), i, s));
    const score = scoreTranscripts(entries.map((e, i) => ({ ref: e.text, hyp: hyps[i]! })));
    const changed = hyps.filter((h, i) => h !== base[i]).length;
    console.log(`| ${name} | ${s} | ${(100 * score.cer).toFixed(2)}% | ${s === 1 ? '' : `${changed} of ${entries.length}`} |`);
  }
}
rec.dispose();
rmSync(dir, { recursive: true, force: true });
