/** The training run's input side: speech manifests may point at any audio format sayre decodes. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runInput } from '../../../src/train/run/run-input.js';
import type { RunFrontEnd } from '../../../src/train/run/run-input.js';
import { haveCommand } from '../../helpers/have-command.js';
import { repoRoot } from '../../helpers/fixtures.js';

const noSox = haveCommand('sox', ['--version']) ? false : 'sox is not installed (it makes the FLAC file)';

test('training features of a FLAC file equal those of the WAV it was made from', { skip: noSox }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-run-input-'));
  try {
    const wav = join(repoRoot, 'samples', 'hello.wav');
    const flac = join(dir, 'hello.flac');
    execFileSync('sox', [wav, flac]);
    const config = JSON.parse(readFileSync(join(repoRoot, 'models', 'english', 'config.json'), 'utf8')) as { frontEnd: RunFrontEnd };
    const input = runInput(config.frontEnd);
    const item = (path: string) => ({ path, name: path, text: 'hello', line: 1, amount: 1 });
    const fromWav = await input.features(item(wav));
    const fromFlac = await input.features(item(flac));
    assert.ok(fromWav.frames > 100);
    assert.equal(fromFlac.frames, fromWav.frames);
    assert.deepEqual(fromFlac.data, fromWav.data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
