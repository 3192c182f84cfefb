/**
 * The training run's input side: speech manifests may point at any audio format sayre
 * decodes; a line image the reader refuses is left out with a message, not fatal.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
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

/** A black-on-white PNG 80 columns wide with vertical strokes in the given bands of rows. */
function strokesPng(path: string, height: number, bands: readonly [number, number][]): void {
  const png = new PNG({ width: 80, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < 80; x++) {
      const ink = x % 4 < 2 && x > 4 && x < 75 && bands.some(([a, b]) => y >= a && y < b);
      const o = (y * 80 + x) * 4;
      png.data[o] = png.data[o + 1] = png.data[o + 2] = ink ? 0 : 255;
      png.data[o + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

test('a line image of several lines is read as no columns and named in rejected; other images are unaffected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-run-input-'));
  try {
    strokesPng(join(dir, 'one.png'), 30, [[6, 24]]);
    strokesPng(join(dir, 'two.png'), 60, [[5, 22], [36, 53]]);
    const input = runInput({ type: 'image', height: 32 });
    const item = (name: string, line: number) => ({ path: join(dir, name), name, text: 'x', line, amount: 1 });
    assert.ok((await input.features(item('one.png', 1))).frames > 10);
    assert.deepEqual(input.rejected, []);
    assert.equal((await input.features(item('two.png', 7))).frames, 0);
    assert.equal(input.rejected.length, 1);
    assert.match(input.rejected[0]!, /^line 7: two\.png: expected one line of text, found 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
