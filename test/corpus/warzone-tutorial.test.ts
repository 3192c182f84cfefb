import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWarzoneTutorial, parseTutorialScript, WARZONE_ARCHIVE } from '../../src/corpus/warzone-tutorial.js';
import { readManifest } from '../../src/data/manifest.js';
import { haveCommand } from '../helpers/have-command.js';

test('warzone tutorial: the script lines with audio and text', () => {
  const js = `{"audio": "tut1.ogg", "clear": false, "message": _("In this training session you'll learn"), "state": 0},
    {"audio": "tut6.ogg", "clear": false, "message": undefined, "state": 2},
    {"audio": "tut7.ogg", "message": _("Left click the \\"BUILD\\" icon"), "state": 2}`;
  assert.deepEqual(parseTutorialScript(js), [
    { audio: 'tut1.ogg', message: "In this training session you'll learn" }, { audio: 'tut7.ogg', message: 'Left click the "BUILD" icon' },
  ]);
});

const warzone = existsSync(WARZONE_ARCHIVE) && haveCommand('unzip', ['-v']) && haveCommand('sox', ['--version']);
test('warzone tutorial: imports clips and writes a manifest', { skip: warzone ? false : 'warzone2100-data, unzip or sox is not installed' }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-warzone-'));
  try {
    const entries = await importWarzoneTutorial({ outDir: out, limit: 3 });
    assert.equal(entries.length, 3);
    const m = readManifest(join(out, 'warzone-tutorial.jsonl'), { checkAudio: true });
    assert.equal(m[0]!.text, "in this training session you'll learn how to build an effective base");
    assert.ok(m.every((e) => e.duration > 1 && e.speaker === 'warzone2100-tutorial'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
