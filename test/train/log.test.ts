import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTrainingLog, TrainingLogWriter } from '../../src/train/log.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('records round-trip, one per line, with a time stamp added', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  const log = TrainingLogWriter.open(path);
  log.append({ type: 'train', step: 0, epoch: 0, loss: 3.5 });
  log.append({ type: 'dev', step: 10, epoch: 0, loss: 2.5, cer: 0.4, time: '2026-01-01T00:00:00.000Z' });
  log.close();
  log.close();
  assert.throws(() => log.append({ type: 'train' }), /append after close/);
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  const { records, truncated } = readTrainingLog(path);
  assert.equal(truncated, null);
  assert.equal(records.length, 2);
  assert.match(String(records[0]!.time), /^\d{4}-\d\d-\d\dT/);
  assert.deepEqual(records[1], { type: 'dev', step: 10, epoch: 0, loss: 2.5, cer: 0.4, time: '2026-01-01T00:00:00.000Z' });
});

test('reopening appends after the existing records', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  for (let step = 0; step < 3; step++) {
    const log = TrainingLogWriter.open(path, { sync: false });
    assert.equal(log.repairedTail, null);
    log.append({ type: 'train', step, time: 't' });
    log.close();
  }
  assert.deepEqual(readTrainingLog(path).records.map((r) => r['step']), [0, 1, 2]);
});

test('non-finite numbers survive the round trip', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  const log = TrainingLogWriter.open(path);
  log.append({ type: 'train', loss: Infinity, grad: NaN, low: -Infinity, time: 't' });
  log.close();
  assert.match(readFileSync(path, 'utf8'), /"loss":"Infinity"/);
  const [r] = readTrainingLog(path).records;
  assert.equal(r!['loss'], Infinity);
  assert.ok(Number.isNaN(r!['grad']));
  assert.equal(r!['low'], -Infinity);
});

test('a truncated last line is reported and skipped, and cut off before the next append', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  writeFileSync(path, '{"type":"train","step":0}\n\n{"type":"train","step":1}\n{"type":"train","st');
  const before = readTrainingLog(path);
  assert.deepEqual(before.records.map((r) => r['step']), [0, 1]);
  assert.deepEqual(before.truncated, { line: 4, text: '{"type":"train","st' });

  const log = TrainingLogWriter.open(path);
  assert.equal(log.repairedTail, '{"type":"train","st');
  log.append({ type: 'train', step: 2, time: 't' });
  log.close();
  const after = readTrainingLog(path);
  assert.equal(after.truncated, null);
  assert.deepEqual(after.records.map((r) => r['step']), [0, 1, 2]);
});

test('a whole last record without its newline is kept', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  writeFileSync(path, '{"type":"train","step":0}\n{"type":"train","step":1}');
  assert.equal(readTrainingLog(path).truncated, null);
  const log = TrainingLogWriter.open(path);
  assert.equal(log.repairedTail, null);
  log.append({ type: 'train', step: 2, time: 't' });
  log.close();
  assert.deepEqual(readTrainingLog(path).records.map((r) => r['step']), [0, 1, 2]);
});

test('a log with no newline at all and an unfinished record is emptied on open', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  writeFileSync(path, '{"ty');
  const log = TrainingLogWriter.open(path);
  assert.equal(log.repairedTail, '{"ty');
  log.close();
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('a long unfinished tail (beyond one read chunk) is found and cut', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  const long = '{"type":"event","message":"' + 'x'.repeat(200_000);
  writeFileSync(path, '{"type":"train","step":0}\n' + long);
  const log = TrainingLogWriter.open(path);
  assert.equal(log.repairedTail, long);
  log.close();
  assert.equal(readFileSync(path, 'utf8'), '{"type":"train","step":0}\n');
});

test('a malformed line before the end is an error naming the line', (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  writeFileSync(path, '{"type":"train"}\nnot json\n{"type":"train"}\n');
  assert.throws(() => readTrainingLog(path), /log\.jsonl:2: not a JSON object/);
  writeFileSync(path, '{"step":1}\n{"type":"train"}\n');
  assert.throws(() => readTrainingLog(path), /:1: not a JSON object with a "type"/);
  const log = TrainingLogWriter.open(join(tempDir(t), 'other.jsonl'));
  assert.throws(() => log.append({ type: '' }), /needs a string "type"/);
  log.close();
});

test('a writer killed with SIGKILL leaves a readable log of whole records', async (t) => {
  const path = join(tempDir(t), 'log.jsonl');
  const module = new URL('../../src/train/log.js', import.meta.url).href;
  const script = `
    const { TrainingLogWriter } = await import(${JSON.stringify(module)});
    const log = TrainingLogWriter.open(${JSON.stringify(path)});
    for (let step = 0; ; step++) {
      log.append({ type: 'train', step, loss: 1 / (step + 1), pad: 'y'.repeat(step % 500) });
      if (step === 50) process.stdout.write('ready\\n');
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  // Whatever the kill interrupted, the log reads back as consecutive steps...
  const { records } = readTrainingLog(path);
  assert.ok(records.length > 50);
  records.forEach((r, i) => assert.equal(r['step'], i));
  // ...and stays appendable, even with a torn line at the end.
  appendFileSync(path, '{"type":"train","step":');
  const log = TrainingLogWriter.open(path);
  log.append({ type: 'train', step: records.length, time: 't' });
  log.close();
  const again = readTrainingLog(path);
  assert.equal(again.truncated, null);
  assert.equal(again.records.length, records.length + 1);
});
