import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { formatAmount, formatDuration, startProgress } from '../../src/report/progress.js';

/** A stream that keeps what is written; a TTY of `columns` columns when given. */
function sink(columns?: number): Writable & { text: () => string; isTTY?: boolean; columns?: number } {
  const chunks: string[] = [];
  const s = new Writable({ write(chunk: Buffer | string, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  return Object.assign(s, { text: () => chunks.join(''), ...(columns ? { isTTY: true, columns } : {}) });
}

function fakeClock(): { now: () => number; advance: (seconds: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (s) => { t += s * 1000; } };
}

test('formatDuration and formatAmount', () => {
  assert.equal(formatDuration(12.4), '12s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(7620), '2h07m');
  assert.equal(formatDuration(NaN), '?');
  assert.equal(formatAmount(950), '950');
  assert.equal(formatAmount(12345), '12.3k');
  assert.equal(formatAmount(4_560_000), '4.56M');
  assert.equal(formatAmount(0.5), '0.5');
});

test('plain lines at most every interval, with rate, ETA and values, and a final line', () => {
  const out = sink();
  const clock = fakeClock();
  const p = startProgress({ total: 1000, unit: 'frames', label: 'epoch 1', stream: out, intervalSeconds: 10, now: clock.now });
  clock.advance(4);
  p.tick(200, { loss: 2.5 });
  assert.equal(out.text(), '', 'nothing before the first interval');
  clock.advance(6);
  p.tick(300, { loss: 1.23456 });
  clock.advance(1);
  p.log('checkpoint written');
  p.update(600);
  clock.advance(9);
  p.update(1000, { loss: 1, note: 'done' });
  p.stop();
  p.stop();
  assert.deepEqual(out.text().split('\n'), [
    'epoch 1 50% | 500/1k frames | 50 frames/s | ETA 10s | loss 1.235',
    'checkpoint written',
    'epoch 1 100% | 1k/1k frames | 50 frames/s | took 20s | loss 1 | note done',
    '',
  ]);
});

test('a resumed start is not counted in the rate; the rate follows the recent window', () => {
  const out = sink();
  const clock = fakeClock();
  const p = startProgress({ total: 10_000, start: 4000, unit: 'utts', stream: out, intervalSeconds: 0, rateWindowSeconds: 10, now: clock.now });
  clock.advance(10);
  p.update(5000);
  assert.match(out.text(), /^50% \| 5k\/10k utts \| 100 utts\/s \| ETA 50s\n$/);
  // Ten times faster for the next 20 s: the 10 s window forgets the slow start.
  for (let k = 0; k < 4; k++) { clock.advance(5); p.tick(5000 / 4 * 0.8); }
  const last = out.text().trim().split('\n').pop()!;
  assert.match(last, /\| 200 utts\/s \|/);
});

test('on a TTY it draws a bar cut to the terminal width, and log() prints above it', () => {
  const out = sink(60);
  const p = startProgress({ total: 100, unit: 'frames', label: 'epoch 2', stream: out });
  p.update(50, { loss: 0.5 });
  p.log('dev CER 12.3%');
  p.update(100);
  p.stop();
  const text = out.text();
  assert.ok(text.includes('dev CER 12.3%\n'));
  // Each drawn line sits between "go to column 1" and "clear to end of line".
  const drawn = [...text.matchAll(/\x1b\[1G(.*?)\x1b\[0K/g)].map((m) => m[1]!);
  assert.ok(drawn.length >= 2);
  for (const line of drawn) assert.ok(line.length <= 59, `line wider than the terminal: ${line}`);
  assert.ok(drawn.some((l) => l.startsWith('epoch 2 [============------------] 50% |')));
  assert.ok(drawn[drawn.length - 1]!.includes('[========================] 100%'));
});

test('stop prints the final state once, even when no line was due', () => {
  const out = sink();
  const clock = fakeClock();
  const p = startProgress({ total: 10, stream: out, now: clock.now });
  clock.advance(2);
  p.tick(4);
  p.stop();
  assert.equal(out.text(), '40% | 4/10 items | 2 items/s | ETA 3s\n');
});

test('bad totals and amounts are rejected', () => {
  assert.throws(() => startProgress({ total: NaN, stream: sink() }), /total must be a number/);
  const p = startProgress({ total: 1, stream: sink() });
  assert.throws(() => p.update(NaN), /amount done/);
});
