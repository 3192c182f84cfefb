/**
 * Text-line recognition against tesseract: CER/WER of a sayre CRNN checkpoint and of
 * Debian's tesseract-ocr 5 (`--psm 7`, one text line; itself an LSTM + CTC engine) on the
 * same test-split images of a `sayre corpus lines` corpus, split into the reserved
 * handwriting fonts (never trained on) and the rest, with lines per second for both
 * (image decoding included for both; one thread for sayre).
 *
 *   SAYRE_LINES_CORPUS  corpus folder (default runs/corpus-lines)
 *   SAYRE_LINES_MODEL   CRNN checkpoint (default models/text-lines/model.safetensors)
 *   SAYRE_LINES_N       test lines to use (default 200; tesseract takes ~0.3 s a line)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend } from '../src/backend/index.js';
import { CharTokenizer } from '../src/data/char-tokenizer.js';
import { LINE_ALPHABET } from '../src/data/lines/line-texts.js';
import { readLineManifest, type LineEntry } from '../src/data/lines/lines-manifest.js';
import { ctcGreedyDecode } from '../src/decode/greedy.js';
import { readLineFrames } from '../src/image/line-image.js';
import { scoreTranscripts } from '../src/metrics/error-rate.js';
import { loadCrnnCheckpoint } from '../src/model/crnn-checkpoint.js';

const corpus = process.env['SAYRE_LINES_CORPUS'] ?? 'runs/corpus-lines';
const modelPath = process.env['SAYRE_LINES_MODEL'] ?? 'models/text-lines/model.safetensors';
const N = Number(process.env['SAYRE_LINES_N'] ?? 200);
const manifest = join(corpus, 'test.jsonl');
if (!existsSync(manifest)) {
  console.log(`no line corpus at ${corpus} (build one: sayre corpus lines --out ${corpus} --lines 20000 --seed 1): nothing to measure`);
  process.exit(0);
}
// Every other test line is in a reserved font (plan.ts): take the first N in order.
const entries = readLineManifest(manifest).slice(0, N);
const reserved = (e: LineEntry): boolean => e.extra['reserved'] === true;
console.log(`${entries.length} test lines from ${manifest} (${entries.filter(reserved).length} in the reserved handwriting fonts); machine shared, figures noisy`);

/** Whitespace collapsed, as both systems' outputs are compared. */
const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

function report(name: string, hyps: string[], seconds: number): void {
  const groups: [string, (e: LineEntry) => boolean][] = [['reserved handwriting fonts', reserved], ['other fonts', (e) => !reserved(e)], ['all', () => true]];
  for (const [g, keep] of groups) {
    const pairs = entries.flatMap((e, i) => (keep(e) ? [{ ref: e.text, hyp: hyps[i]! }] : []));
    if (pairs.length === 0) continue;
    const s = scoreTranscripts(pairs);
    console.log(`${name.padEnd(10)} ${g.padEnd(27)} CER ${(100 * s.cer).toFixed(2).padStart(6)}%  WER ${(100 * s.wer).toFixed(2).padStart(6)}%  (${pairs.length} lines)`);
  }
  console.log(`${name.padEnd(10)} ${(entries.length / seconds).toFixed(2)} lines/s (${(1000 * seconds / entries.length).toFixed(1)} ms a line)`);
}

let tessRate: number | undefined, sayreRate: number | undefined;
try {
  execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
  const t0 = performance.now();
  const hyps = entries.map((e) => clean(execFileSync('tesseract', [e.imagePath, 'stdout', '--psm', '7', '-l', 'eng'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  })));
  const s = (performance.now() - t0) / 1000;
  tessRate = entries.length / s;
  report('tesseract', hyps, s);
} catch (err) {
  console.log(`tesseract: not measured (${(err as Error).message.split('\n')[0]}; apt-get install tesseract-ocr)`);
}

if (existsSync(modelPath)) {
  const { model } = loadCrnnCheckpoint(modelPath, { backend: createBackend('auto', { threads: 1 }) });
  const tok = new CharTokenizer(LINE_ALPHABET);
  const H = model.config.height;
  const t0 = performance.now();
  const hyps = entries.map((e) => {
    const f = readLineFrames(e.imagePath, H);
    const out = model.infer(f.frames, [f.width, 1, H], [f.width]);
    return clean(tok.decode(ctcGreedyDecode(out.logits, out.shape, out.lengths)[0]!.tokens));
  });
  const s = (performance.now() - t0) / 1000;
  sayreRate = entries.length / s;
  report('sayre', hyps, s);
} else {
  console.log(`sayre: no CRNN checkpoint at ${modelPath} (set SAYRE_LINES_MODEL): not measured`);
}
if (tessRate && sayreRate) console.log(`speed ratio sayre / tesseract: ${(sayreRate / tessRate).toFixed(1)}x`);
