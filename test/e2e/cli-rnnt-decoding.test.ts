import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeTinyRnntModelDir } from '../helpers/tiny-rnnt-model.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });

test('transcribe and eval decode RNN-T models by beam search with an LM and hotwords', async () => {
  const model = makeTinyRnntModelDir();
  const dir = mkdtempSync(join(tmpdir(), 'sayre-rnnt-cli-'));
  const hello = join(SAMPLES, 'hello.wav');
  const texts = readFileSync(join(SAMPLES, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
  writeFileSync(join(dir, 'text.txt'), `${texts.join('\n')}\n`);
  const lm = join(dir, 'tiny.arpa');
  await sayre('lm', 'build', '--order', '2', '--text', join(dir, 'text.txt'), '--out', lm);

  // The random model never says "hello"; a heavy hotword makes both searches spell it
  // (with a beam wide enough that every label is tried).
  const greedy = (await sayre('transcribe', '--model', model, hello)).stdout;
  assert.doesNotMatch(greedy, /hello/);
  writeFileSync(join(dir, 'hot.txt'), 'hello\t100\n');
  for (const search of ['modified', 'graves']) {
    const boosted = await sayre('transcribe', '--model', model, '--hotwords', join(dir, 'hot.txt'), '--beam', '28', '--rnnt-search', search, hello);
    assert.match(boosted.stdout, /^hello\b/, search);
  }
  const json = JSON.parse((await sayre('transcribe', '--model', model, '--lm', lm, '--alpha', '1', '--beam', '4', '--json', hello)).stdout) as { text: string; words: { word: string }[] };
  assert.equal(json.words.map((w) => w.word).join(' '), json.text);

  const nbest = JSON.parse((await sayre('transcribe', '--model', model, '--nbest', '3', '--json', hello)).stdout) as { text: string; alternatives: { text: string }[] };
  assert.equal(nbest.alternatives.length, 3);
  assert.equal(nbest.alternatives[0]!.text, nbest.text);
  const ctc = JSON.parse((await sayre('transcribe', '--nbest', '2', '--beam', '8', '--json', hello)).stdout) as { text: string; alternatives: { text: string }[] };
  assert.equal(ctc.alternatives.length, 2);
  assert.equal(ctc.alternatives[0]!.text, ctc.text);

  const manifest = join(SAMPLES, 'samples.jsonl');
  const scored = await sayre('eval', '--manifest', manifest, '--model', model, '--report', join(dir, 'r.txt'), '--lm', lm, '--rnnt-search', 'graves', '--beam', '4');
  assert.match(scored.stdout, /^%WER [\d.]+/m);

  const tuned = await sayre('lm', 'tune', '--model', model, '--manifest', manifest, '--lm', lm, '--alphas', '0,1', '--betas', '0', '--beam', '2');
  assert.equal(tuned.stdout.match(/^alpha [\d.]+ {2}beta [\d.]+ {2}WER [\d.]+% {2}CER [\d.]+% {2}\(\d\/2\)$/gm)?.length, 2);
  assert.match(tuned.stdout, /^best: --alpha [01] --beta 0 \(dev WER [\d.]+%, CER [\d.]+%, 4 utterances/m);

  await assert.rejects(sayre('transcribe', '--model', model, '--beta', '1', hello), /--alpha and --beta need --lm/);
  await assert.rejects(sayre('transcribe', '--model', model, '--rnnt-search', 'best', hello), /--rnnt-search.*Allowed choices are modified, graves/);
  await assert.rejects(sayre('transcribe', '--rnnt-search', 'graves', hello), /--rnnt-search applies to RNN-T models; this is a CTC model/);
});
