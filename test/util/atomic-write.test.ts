/** writeFileAtomic (src/util/atomic-write.ts): replaces regular files by a rename, never links, devices or FIFOs (`--report /dev/null` once turned /dev/null into a file). */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { tempDir } from '../helpers/hostile-files.js';

test('a regular file is replaced whole, in missing folders, with no temporary file left', () => {
  const dir = tempDir();
  writeFileAtomic(join(dir, 'a/b/out.txt'), 'first');
  writeFileAtomic(join(dir, 'a/b/out.txt'), 'second');
  assert.equal(readFileSync(join(dir, 'a/b/out.txt'), 'utf8'), 'second');
  assert.deepEqual(readdirSync(join(dir, 'a/b')), ['out.txt']);
});

test('a symbolic link is followed: the file it names gets the data, the link stays a link', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'target.txt'), 'old');
  symlinkSync(join(dir, 'target.txt'), join(dir, 'link.txt'));
  writeFileAtomic(join(dir, 'link.txt'), 'new');
  assert.ok(lstatSync(join(dir, 'link.txt')).isSymbolicLink());
  assert.equal(readFileSync(join(dir, 'target.txt'), 'utf8'), 'new');
  assert.deepEqual(readdirSync(dir).sort(), ['link.txt', 'target.txt']);
});

test('a FIFO is written through, not replaced by a file', { skip: spawnSync('mkfifo', ['--version']).error ? 'mkfifo not installed' : false }, async () => {
  const dir = tempDir(), fifo = join(dir, 'pipe');
  spawnSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo]);
  let read = '';
  reader.stdout.on('data', (d: Buffer) => { read += d.toString(); });
  const closed = new Promise((resolve) => reader.on('close', resolve));
  writeFileAtomic(fifo, 'through the pipe');
  const stillFifo = statSync(fifo).isFIFO();
  if (!stillFifo) reader.kill(); // nothing will ever write to the pipe cat waits on
  await closed;
  assert.ok(stillFifo, 'the FIFO is still a FIFO');
  assert.equal(read, 'through the pipe');
});

test('a folder in the way is an error that names the path', () => {
  const dir = tempDir();
  assert.throws(() => writeFileAtomic(dir, 'x'), new RegExp(`^Error: ${dir}: cannot write \\(EISDIR`));
  assert.ok(statSync(dir).isDirectory());
  assert.deepEqual(readdirSync(dir), []);
});
