import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestError, parseManifest, readManifest, writeManifest } from '../../src/data/manifest.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-manifest-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('manifests: write atomically, read back with paths relative to the manifest folder', () => {
  const file = join(dir, 'sub', 'train.jsonl');
  const entries = [
    { audio: 'audio/a.wav', text: 'hello there', duration: 1.5, voice: 'espeak-ng:en-us+Alex', augmentation: { speed: 1.05, telephone: true } },
    { audio: 'b.wav', text: '', duration: 0.2, custom: [1, 2] },
  ];
  writeManifest(file, entries);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['train.jsonl']); // no temporary file left behind
  const back = readManifest(file);
  assert.equal(back.length, 2);
  assert.equal(back[0]!.audioPath, join(dir, 'sub', 'audio', 'a.wav'));
  assert.equal(back[1]!.line, 2);
  assert.deepEqual(back[1]!['custom'], [1, 2]);
  // Rewriting what was read gives the same file (resolved fields are not written).
  const text = readFileSync(file, 'utf8');
  writeManifest(file, back);
  assert.equal(readFileSync(file, 'utf8'), text);
});

test('manifest validation errors give the file and line number', () => {
  const f = '/data/dev.jsonl';
  const bad = (text: string, line: number, re: RegExp): void => {
    assert.throws(() => parseManifest(text, f), (err: unknown) => {
      assert.ok(err instanceof ManifestError);
      assert.equal(err.line, line);
      assert.ok(err.message.startsWith(`${f}:${line}: `), err.message);
      assert.match(err.message, re);
      return true;
    });
  };
  const ok = '{"audio": "a.wav", "text": "a", "duration": 1}';
  bad(`${ok}\n{"audio": "b.wav", "text": "b"`, 2, /invalid JSON/);
  bad(`${ok}\n\n[1, 2]`, 3, /expected a JSON object/);
  bad('{"text": "a", "duration": 1}', 1, /"audio" must be a non-empty string/);
  bad('{"audio": "a.wav", "text": 3, "duration": 1}', 1, /"text" must be a string/);
  bad(`${ok}\n{"audio": "a.wav", "text": "a", "duration": -1}`, 2, /"duration" must be a positive number/);
  bad('{"audio": "a.wav", "text": "a", "duration": "1"}', 1, /"duration"/);
  bad('{"audio": "a.wav", "text": "a", "duration": 1, "voice": 3}', 1, /"voice" must be a string/);
  bad('{"audio": "a.wav", "text": "a", "duration": 1, "augmentation": {"speed": "fast"}}', 1, /augmentation\.speed/);
  assert.equal(parseManifest(`\n${ok}\n\n`, f)[0]!.line, 2);
  const missing = join(dir, 'm.jsonl');
  writeFileSync(missing, `${ok}\n`);
  assert.throws(() => readManifest(missing, { checkAudio: true }), /m\.jsonl:1: audio file .*a\.wav does not exist/);
  assert.throws(() => readManifest(join(dir, 'nope.jsonl')), /cannot read manifest/);
  assert.throws(() => writeManifest(join(dir, 'w.jsonl'), [{ audio: '', text: 'x', duration: 1 }]), /"audio"/);
});
