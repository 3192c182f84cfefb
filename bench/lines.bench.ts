/**
 * Text-line recognition against tesseract: CER/WER of a sayre text-line model (by default
 * the bundled models/text-lines) and of Debian's tesseract-ocr 5 (`--psm 7`, one text
 * line; itself an LSTM + CTC engine) on the same test-split images of a `sayre corpus
 * lines` corpus, grouped into the reserved handwriting fonts (Kristi, DkgHandwriting,
 * Dancing Script: never trained or tuned on), the other handwriting-like fonts and the
 * regular fonts, with lines per second for both (image decoding included for both; one
 * line at a time; one thread each).
 *
 *   SAYRE_LINES_CORPUS  corpus folder (default runs/corpus-text-lines, as recipe:text-lines builds it)
 *   SAYRE_LINES_MODEL   text-line model directory (default models/text-lines)
 *   SAYRE_LINES_N       test lines to use (default all; tesseract takes ~0.3 s a line)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../src/backend/index.js';
import { readLineManifest, type LineEntry } from '../src/data/lines/lines-manifest.js';
import { readImage } from '../src/image/decode-image.js';
import { scoreTranscripts } from '../src/metrics/error-rate.js';
import { LineRecognizer } from '../src/recognizer/line-recognizer.js';

const corpus = process.env['SAYRE_LINES_CORPUS'] ?? 'runs/corpus-text-lines';
const modelDir = process.env['SAYRE_LINES_MODEL'] ?? 'models/text-lines';
const N = Number(process.env['SAYRE_LINES_N'] ?? Infinity);
const manifest = join(corpus, 'test.jsonl');
if (!existsSync(manifest)) {
  console.log(`no line corpus at ${corpus} (build one: npm run recipe:text-lines, or sayre corpus lines --out ${corpus} --lines 12000 --seed 1): nothing to measure`);
  process.exit(0);
}
// Every other test line is in a reserved font (plan.ts): the first N keep that share.
const entries = readLineManifest(manifest).slice(0, N);
const font = (e: LineEntry): string => String(e.extra['font'] ?? '');
const reserved = (e: LineEntry): boolean => e.extra['reserved'] === true;
const handwriting = (e: LineEntry): boolean => e.extra['handwriting'] === true;
console.log(`${entries.length} test lines from ${manifest} (${entries.filter(reserved).length} in the reserved handwriting fonts); machine shared with other work, figures noisy`);

const GROUPS: [string, (e: LineEntry) => boolean][] = [
  ['reserved handwriting fonts', reserved],
  ...['Kristi', 'DkgHandwriting', 'Dancing Script'].map((f): [string, (e: LineEntry) => boolean] => [`  ${f}`, (e) => reserved(e) && font(e).startsWith(f)]),
  ['other handwriting-like fonts', (e) => handwriting(e) && !reserved(e)],
  ['regular fonts', (e) => !handwriting(e)],
  ['all', () => true],
];

/** Whitespace collapsed, as both systems' outputs are compared. */
const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Scores per group; returns the reserved fonts' CER. */
function report(name: string, hyps: string[], seconds: number): number {
  let reservedCer = NaN;
  for (const [g, keep] of GROUPS) {
    const pairs = entries.flatMap((e, i) => (keep(e) ? [{ ref: e.text, hyp: hyps[i]! }] : []));
    if (pairs.length === 0) continue;
    const s = scoreTranscripts(pairs);
    if (g === GROUPS[0]![0]) reservedCer = s.cer;
    console.log(`${name.padEnd(10)} ${g.padEnd(29)} CER ${(100 * s.cer).toFixed(2).padStart(6)}%  WER ${(100 * s.wer).toFixed(2).padStart(6)}%  (${pairs.length} lines)`);
  }
  console.log(`${name.padEnd(10)} ${(entries.length / seconds).toFixed(2)} lines/s (${(1000 * seconds / entries.length).toFixed(1)} ms a line)`);
  return reservedCer;
}

let tess: { rate: number; cer: number } | undefined, sayre: { rate: number; cer: number } | undefined;
try {
  execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
  const t0 = performance.now();
  const hyps = entries.map((e) => clean(execFileSync('tesseract', [e.imagePath, 'stdout', '--psm', '7', '-l', 'eng'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  })));
  const s = (performance.now() - t0) / 1000;
  tess = { rate: entries.length / s, cer: report('tesseract', hyps, s) };
} catch (err) {
  console.log(`tesseract: not measured (${(err as Error).message.split('\n')[0]}; apt-get install tesseract-ocr)`);
}

if (existsSync(join(modelDir, 'config.json'))) {
  const rec = LineRecognizer.load(modelDir, { backend: createBackend('auto', { threads: 1 }) });
  const t0 = performance.now();
  const hyps = entries.map((e) => clean(rec.transcribeImage(readImage(e.imagePath)).text));
  const s = (performance.now() - t0) / 1000;
  sayre = { rate: entries.length / s, cer: report('sayre', hyps, s) };
} else {
  console.log(`sayre: no text-line model at ${modelDir} (set SAYRE_LINES_MODEL to a model directory): not measured`);
}
if (tess && sayre) {
  console.log(`speed ratio sayre / tesseract: ${(sayre.rate / tess.rate).toFixed(1)}x`);
  console.log(`reserved handwriting fonts, CER sayre / tesseract: ${(sayre.cer / tess.cer).toFixed(2)} (target: below 1, and faster): ${sayre.cer < tess.cer && sayre.rate > tess.rate ? 'met' : 'not met'}`);
}
