import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { readManifest } from '../../src/data/manifest.js';
import { haveCommand } from '../helpers/have-command.js';

const skip = haveCommand('flite', ['-lv']) && haveCommand('sox', ['--version']) && existsSync('/usr/share/games/fortunes') ? false : 'flite, sox or the fortune files are missing';
const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

test('sayre corpus tts: builds from the fortune files, prints the summary, refuses reserved voices', { skip }, () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-cli-'));
  try {
    const args = [cli, 'corpus', 'tts', '--out', out, '--hours', '0.002', '--seed', '2', '--max-sentences', '6', '--voices', 'flite:kal16', '--jobs', '2', '--no-progress',
      // Fortunes only: WordNet, GCIDE and the Jargon File need packages CI does not install (text-sources.test.ts reads them).
      '--text-sources', '', '--held-out-text', 'none'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /flite:kal16/);
    assert.match(r.stdout, /total hours/);
    for (const split of ['train', 'dev', 'test']) assert.ok(readManifest(join(out, `${split}.jsonl`), { checkAudio: true }).length > 0);
    const again = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /generated 0, skipped \d+/);
    const reserved = spawnSync(process.execPath, [cli, 'corpus', 'tts', '--out', join(out, 'r'), '--hours', '0.001', '--voices', 'flite:rms'], { encoding: 'utf8' });
    assert.equal(reserved.status, 1);
    assert.match(reserved.stderr, /flite:rms is reserved/);
    const bad = spawnSync(process.execPath, [cli, 'corpus', 'tts', '--out', out, '--hours', '-1'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--hours/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
