/** The bundled text-line model (models/text-lines) reads the sample lines through the CLI and the library. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cer } from '../../src/metrics/error-rate.js';
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
  assert.equal(rec.height, 32);
  const t = rec.transcribeFile(sample('line-handwriting.png'));
  assert.ok(cer(['Meet me at the station at nine.'], [t.text]) < 0.1, t.text);
  rec.dispose();
});
