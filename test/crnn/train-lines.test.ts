/** `sayre train` with a CRNN config: line images in, model directory out; resume; then eval and transcribe. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadLineModelDir } from '../../src/recognizer/line-model-dir.js';
import { makeTinyLines, renderMissing, tinyLineConfig } from './tiny-lines.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });
const TEXTS = ['hey', 'meet me', 'The cat sat.', 'a dog ran'];

test('sayre train: a tiny CRNN overfits a few rendered lines; --resume continues the run', { skip: renderMissing() }, async () => {
  const corpus = await makeTinyLines(TEXTS);
  try {
    const configPath = join(corpus, 'config.json');
    writeFileSync(configPath, JSON.stringify(tinyLineConfig(120)));
    const out = join(corpus, 'run');
    const args = ['train', '--config', configPath, '--train', join(corpus, 'train.jsonl'), '--dev', join(corpus, 'dev.jsonl'), '--out', out];
    const first = await sayre(...args, '--max-epochs', '20');
    assert.match(first.stdout, /max epochs: 20 epochs, 80 steps, .* best dev CER/);
    assert.match(first.stderr, /train: 4 line images/);
    assert.ok(!existsSync(join(out, 'cmvn.json')), 'no CMVN for images');
    const run1 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { config: { frontEnd: unknown }; tokenizer: { alphabet: string } };
    assert.deepEqual(run1.config.frontEnd, { type: 'image', height: 20 });
    assert.equal(run1.tokenizer.alphabet.length, 95, 'the line alphabet (printable ASCII)');
    const more = await sayre('train', '--out', out, '--resume', '--max-epochs', '120');
    assert.match(more.stderr, /resumed at epoch 20/);
    const best = /best dev CER ([\d.]+)%/.exec(more.stdout);
    assert.ok(best && Number(best[1]) === 0, more.stdout);
    const loaded = loadLineModelDir(join(out, 'model'));
    assert.equal(loaded.model.config.height, 20);
    assert.equal(loaded.info['devCer'], 0);
    loaded.model.dispose();
  } finally {
    rmSync(corpus, { recursive: true, force: true });
  }
});
