/**
 * `sayre eval --json-report` then `sayre card` on the bundled English model and the sample
 * clips, with a small corpus.json: the card's per-voice table holds the eval's figures.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const samples = fileURLToPath(new URL('../../../samples/samples.jsonl', import.meta.url));

test('sayre eval --json-report, then sayre card --eval: per-voice figures of the report in the card', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-cli-card-'));
  const report = join(dir, 'samples.json');
  await run(process.execPath, [MAIN, 'eval', '--no-lm', '--manifest', samples, '--report', join(dir, 'r.txt'), '--json-report', report]);
  const r = JSON.parse(readFileSync(report, 'utf8')) as { format: string; input: string; decoding: { search: string }; total: { utterances: number; cer: number }; groups: Record<string, { group: string; cer: number; wer: number }[]> };
  assert.equal(r.format, 'sayre.eval-report/1');
  assert.equal(r.input, 'speech');
  assert.equal(r.decoding.search, 'greedy');
  assert.equal(r.total.utterances, 4);
  assert.deepEqual(r.groups['voiceGroup']!.map((g) => g.group), ['espeak-ng:en-gb', 'espeak-ng:en-us', 'flite:awb', 'flite:kal16']);
  const corpus = join(dir, 'corpus.json');
  writeFileSync(corpus, JSON.stringify({
    voices: [{ id: 'flite:awb', speaker: 'arctic-awb', sex: 'male', synthesis: 'unit-selection', package: 'flite', licence: 'CMU ARCTIC' }],
    espeakFormantVoices: 2, status: 'complete', heldOutSpeakers: {},
    summary: { splits: { train: { utterances: 1, hours: 0.1, augmented: 0 } }, voices: { 'flite:awb': { train: { utterances: 1, hours: 0.1, augmented: 0 } } }, distinctVoices: { train: 1 }, speakers: { train: ['arctic-awb'] } },
  }));
  const out = join(dir, 'card.md');
  await run(process.execPath, [MAIN, 'card', '--model', 'english', '--corpus', corpus, '--eval', `samples=${report}`, '--out', out]);
  const card = readFileSync(out, 'utf8');
  const awb = r.groups['voiceGroup']!.find((g) => g.group === 'flite:awb')!;
  const perVoice = card.slice(card.indexOf('## Per voice'));
  assert.ok(perVoice.includes(`| flite:awb | arctic-awb | male | unit-selection | 1 | ${(100 * awb.cer).toFixed(2)}% | ${(100 * awb.wer).toFixed(2)}% |`), perVoice);
  assert.match(card, /\| espeak-ng:en-us \| espeak-ng-formant \| various \| formant \| 1 \|/);
  assert.match(card, new RegExp(`\\| samples \\| best path \\| 4 \\| ${(100 * r.total.cer).toFixed(2)}% \\|`));
  assert.match(card, /sayre card --model english --corpus \S+corpus\.json --eval samples=\S+samples\.json --out \S+card\.md/);
  await assert.rejects(run(process.execPath, [MAIN, 'card', '--model', 'english', '--eval', 'samples']), /--eval samples: expected SPLIT=FILE/);
});
