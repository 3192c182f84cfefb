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
  const werOf = (s: string): number => Number(/^%WER ([\d.]+)/m.exec(s)![1]);
  // an LM of the very sentences repairs most of what best path gets wrong
  assert.ok(werOf(plain.stdout) > 20, plain.stdout);
  assert.ok(werOf(withLm.stdout) < werOf(plain.stdout) / 4, `${werOf(withLm.stdout)} vs ${werOf(plain.stdout)}`);

  // lm tune scores each pair as eval would, and its best pair is the one eval scores best
  const tuned = await sayre('lm', 'tune', '--manifest', manifest, '--lm', lm, '--alphas', '0,1', '--betas', '0,2');
  const rows = [...tuned.stdout.matchAll(/^alpha ([\d.]+) {2}beta ([\d.]+) {2}WER ([\d.]+)% {2}CER ([\d.]+)% {2}\(\d\/4\)$/gm)];
  assert.equal(rows.length, 4, tuned.stdout);
  const best = /^best: --alpha ([\d.]+) --beta ([\d.]+) \(dev WER ([\d.]+)%, CER ([\d.]+)%, 4 utterances/m.exec(tuned.stdout)!;
  assert.equal(Number(best[3]), Math.min(...rows.map((r) => Number(r[3]))));
  const again = await sayre('eval', '--manifest', manifest, '--report', join(dir, 'c.txt'), '--lm', lm, '--alpha', best[1]!, '--beta', best[2]!, '--beam', '32');
  assert.equal(werOf(again.stdout), Number(best[3]));
});
