/**
 * Text-line recognition against tesseract, font by font: CER/WER of a sayre text-line model
 * (by default the bundled models/text-lines, decoded as it decodes by default) and of
 * Debian's tesseract-ocr 5 (`--psm 7`, one text line; itself an LSTM + CTC engine) on the
 * same images of a `sayre corpus lines` corpus, in the same run. By default the
 * held-out-font test split (families never trained on, lines from a text neither the
 * corpus nor the line LM read), each line rendered plain-and-tight (ImageMagick's label at
 * 32 points) and distorted; rows per rendering and font, with lines per second for both
 * (image decoding included for both; one line at a time; one thread each).
 *
 *   SAYRE_LINES_CORPUS  corpus folder (default runs/corpus-text-lines, as recipe:text-lines builds it)
 *   SAYRE_LINES_SPLIT   manifest to read (default heldout-test; also heldout-dev, test, dev)
 *   SAYRE_LINES_MODEL   text-line model directory (default the bundled models/text-lines, wherever the bench runs from)
 *   SAYRE_LINES_NO_LM   set to 1: best path, without the model directory's language model
 *   SAYRE_LINES_N       lines to use (default all; tesseract takes ~0.3 s a line)
 *   SAYRE_LINES_JSON    also write the result as JSON to this file (per system: totals, per-font tables,
 *                       lines/s; `sayre card --bench SPLIT=FILE` puts tesseract's columns in a model card)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../src/backend/index.js';
import { readLineManifest, type LineEntry } from '../src/data/lines/lines-manifest.js';
import { readImage } from '../src/image/decode-image.js';
import { scoreTranscripts } from '../src/metrics/error-rate.js';
import { bundledLineModelDir, LineRecognizer } from '../src/recognizer/line-recognizer.js';
import { handwritingFamilies, lineFamily, lineScoreGroups } from '../src/metrics/line-groups.js';
import { groupRows, LINES_BENCH_FORMAT, scoreRow } from '../src/report/eval-report.js';
import type { LinesBench } from '../src/report/eval-report.js';
import { clean, TESSERACT_DECODING, tesseractMissing, tesseractRead } from './tesseract.js';

const corpus = process.env['SAYRE_LINES_CORPUS'] ?? 'runs/corpus-text-lines';
const split = process.env['SAYRE_LINES_SPLIT'] ?? 'heldout-test';
const modelDir = process.env['SAYRE_LINES_MODEL'] ?? bundledLineModelDir();
const N = Number(process.env['SAYRE_LINES_N'] ?? Infinity);
const manifest = join(corpus, `${split}.jsonl`);
if (!existsSync(manifest)) {
  console.log(`no ${split} split at ${corpus} (build one: npm run recipe:text-lines, or sayre corpus lines --out ${corpus} --lines 12000 --held-out-lines 300 --seed 1): nothing to measure`);
  process.exit(0);
}
const entries = readLineManifest(manifest).slice(0, N);
const family = lineFamily;
const handwriting = (e: LineEntry): boolean => e.extra['handwriting'] === true;
const rendering = (e: LineEntry): string => String(e.extra['rendering'] ?? 'varied');
console.log(`${entries.length} lines of ${manifest}; ${new Date().toISOString().slice(0, 10)}; machine shared with other work, speed figures noisy`);

interface Run { hyps: string[]; seconds: number; decoding: string }
const runs: Record<string, Run> = {};
const missing = tesseractMissing();
if (missing) console.log(`tesseract: not measured (${missing})`);
else {
  const t0 = performance.now();
  const hyps = entries.map((e) => tesseractRead(e.imagePath));
  runs['tesseract'] = { hyps, seconds: (performance.now() - t0) / 1000, decoding: TESSERACT_DECODING };
}
if (existsSync(join(modelDir, 'config.json'))) {
  const rec = LineRecognizer.load(modelDir, { backend: createBackend('auto', { threads: 1 }), ...(process.env['SAYRE_LINES_NO_LM'] === '1' ? { lm: false } : {}) });
  console.log(`sayre: ${modelDir}, ${rec.decoding}`);
  const t0 = performance.now();
  const hyps = entries.map((e) => clean(rec.transcribeImage(readImage(e.imagePath)).text));
  runs['sayre'] = { hyps, seconds: (performance.now() - t0) / 1000, decoding: rec.decoding };
} else {
  console.log(`sayre: no text-line model at ${modelDir} (set SAYRE_LINES_MODEL to a model directory): not measured`);
}

const cer = (name: string, keep: (e: LineEntry) => boolean): { cer: number; wer: number; n: number } => {
  const pairs = entries.flatMap((e, i) => (keep(e) ? [{ ref: e.text, hyp: runs[name]!.hyps[i]! }] : []));
  const s = scoreTranscripts(pairs);
  return { cer: s.cer, wer: s.wer, n: pairs.length };
};
const pct = (x: number): string => `${(100 * x).toFixed(2).padStart(6)}%`;
const names = Object.keys(runs);
const families = [...new Set(entries.map(family))].sort((a, b) => Number(entries.some((e) => family(e) === b && handwriting(e))) - Number(entries.some((e) => family(e) === a && handwriting(e))) || a.localeCompare(b));
console.log(`\n| rendering | font | kind | lines | ${names.map((n) => `${n} CER | ${n} WER`).join(' | ')} |`);
console.log(`|---|---|---|---:|${names.map(() => '---:|---:').join('|')}|`);
const verdicts: string[] = [];
for (const r of [...new Set(entries.map(rendering))].sort()) {
  const groups: [string, string, (e: LineEntry) => boolean][] = [
    ...families.map((f): [string, string, (e: LineEntry) => boolean] => [f, entries.some((e) => family(e) === f && handwriting(e)) ? 'handwriting-like' : 'regular', (e) => family(e) === f]),
    ['all handwriting-like', '', handwriting], ['all regular', '', (e) => !handwriting(e)], ['all', '', () => true],
  ];
  for (const [g, kind, keep] of groups) {
    const k = (e: LineEntry): boolean => rendering(e) === r && keep(e);
    if (!entries.some(k)) continue;
    const s = names.map((n) => cer(n, k));
    console.log(`| ${r} | ${g} | ${kind} | ${s[0]!.n} | ${s.map((x) => `${pct(x.cer)} | ${pct(x.wer)}`).join(' | ')} |`);
  }
  if (runs['sayre'] && runs['tesseract']) {
    const all = (e: LineEntry): boolean => rendering(e) === r;
    const ratio = cer('sayre', all).cer / cer('tesseract', all).cer;
    const hand = families.filter((f) => entries.some((e) => family(e) === f && handwriting(e)));
    const worse = hand.filter((f) => cer('sayre', (e) => all(e) && family(e) === f).cer >= cer('tesseract', (e) => all(e) && family(e) === f).cer);
    const regular = entries.some((e) => all(e) && !handwriting(e)) ? cer('sayre', (e) => all(e) && !handwriting(e)).cer : NaN;
    verdicts.push(`${r}: CER sayre / tesseract ${ratio.toFixed(2)} (target <= 0.7: ${ratio <= 0.7 ? 'met' : 'not met'}); `
      + `handwriting-like fonts where sayre is not below tesseract: ${worse.length ? worse.join(', ') : 'none'}; regular fonts CER ${pct(regular).trim()} (target <= 1%: ${regular <= 0.01 ? 'met' : 'not met'})`);
  }
}
console.log('');
for (const n of names) console.log(`${n.padEnd(10)} ${(entries.length / runs[n]!.seconds).toFixed(2)} lines/s (${(1000 * runs[n]!.seconds / entries.length).toFixed(1)} ms a line)`);
if (runs['sayre'] && runs['tesseract']) {
  const speed = runs['tesseract'].seconds / runs['sayre'].seconds;
  console.log(`speed sayre / tesseract: ${speed.toFixed(1)}x (target >= 5x: ${speed >= 5 ? 'met' : 'not met'})`);
  for (const v of verdicts) console.log(v);
}

const jsonOut = process.env['SAYRE_LINES_JSON'];
if (jsonOut) {
  const result: LinesBench = {
    format: LINES_BENCH_FORMAT, date: new Date().toISOString(), manifest, model: modelDir, handwritingFamilies: handwritingFamilies(entries),
    systems: Object.fromEntries(names.map((n) => {
      const run = runs[n]!;
      const score = scoreTranscripts(entries.map((e, i) => ({ ref: e.text, hyp: run.hyps[i]! })));
      return [n, {
        decoding: run.decoding, seconds: Number(run.seconds.toFixed(2)), linesPerSecond: Number((entries.length / run.seconds).toFixed(3)),
        total: scoreRow(score, entries.length), groups: groupRows(lineScoreGroups(score.utterances, entries)),
      }];
    })),
  };
  writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`JSON result: ${jsonOut}`);
}
