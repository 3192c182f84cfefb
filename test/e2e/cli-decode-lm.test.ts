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
const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });

/** A word bigram of the four samples' own sentences: beam search with it should spell them out. */
async function tinyLm(): Promise<{ dir: string; lm: string; texts: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-decode-lm-'));
  const texts = readFileSync(join(SAMPLES, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
  writeFileSync(join(dir, 'text.txt'), `${texts.join('\n')}\n`);
  const lm = join(dir, 'tiny.arpa');
  await sayre('lm', 'build', '--order', '2', '--text', join(dir, 'text.txt'), '--out', lm);
  return { dir, lm, texts };
}

test('transcribe, eval and lm tune decode by beam search with an LM and hotwords', async () => {
  const { dir, lm } = await tinyLm();
  const call = join(SAMPLES, 'call.wav');
  // The bundled model's best path (--no-lm: not its own LM either) misspells the last word; the LM knows the sentence.
  const greedy = (await sayre('transcribe', '--no-lm', call)).stdout.trim();
  assert.notEqual(greedy, 'please call me back when you get home');
  const beam = await sayre('transcribe', '--lm', lm, '--alpha', '1', '--beta', '2', '--beam', '16', call);
  assert.equal(beam.stdout.trim(), 'please call me back when you get home');
  const json = JSON.parse((await sayre('transcribe', '--lm', lm, '--json', call)).stdout) as { text: string; words: { word: string; start: number; end: number }[] };
  assert.equal(json.words.map((w) => w.word).join(' '), json.text);
  for (const w of json.words) assert.ok(w.start < w.end && w.end <= 2.5, `${w.word} ${w.start}-${w.end}`);

  // A hotword alone (no LM) turns the near-miss into the boosted word.
  writeFileSync(join(dir, 'hot.txt'), 'home\n');
  assert.match((await sayre('transcribe', '--no-lm', '--hotwords', join(dir, 'hot.txt'), call)).stdout, / get home\n$/);
  await assert.rejects(sayre('transcribe', '--no-lm', '--alpha', '1', call), /--alpha and --beta need --lm/);

  const manifest = join(SAMPLES, 'samples.jsonl');
  const plain = await sayre('eval', '--no-lm', '--manifest', manifest, '--report', join(dir, 'g.txt'));
  const withLm = await sayre('eval', '--manifest', manifest, '--report', join(dir, 'b.txt'), '--lm', lm, '--alpha', '1', '--beta', '2');
  const werOf = (s: string): number => Number(/^%WER ([\d.]+)/.exec(s)![1]);
  assert.ok(werOf(plain.stdout) > 0);
  assert.equal(werOf(withLm.stdout), 0);

  const tuned = await sayre('lm', 'tune', '--manifest', manifest, '--lm', lm, '--alphas', '0,1', '--betas', '0,2');
  assert.equal(tuned.stdout.match(/^alpha [\d.]+ {2}beta [\d.]+ {2}WER [\d.]+% {2}\(\d\/4\)$/gm)?.length, 4);
  assert.match(tuned.stdout, /^best: --alpha 1 --beta 2 \(dev WER 0\.00%, 4 utterances/m);
});
