import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPoints, trainingCurves, trainingPlotSvg, writeTrainingPlot } from '../../src/train/plot.js';
import { TrainingLogWriter } from '../../src/train/log.js';
import type { LogRecord } from '../../src/train/log.js';

function sampleRecords(): LogRecord[] {
  const records: LogRecord[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let k = 0; k < 4; k++) records.push({ type: 'train', step: epoch * 4 + k, epoch, loss: 10 - epoch * 3 - k * 0.5 });
    records.push({ type: 'dev', step: epoch * 4 + 3, epoch, loss: 9 - epoch * 3, cer: 0.5 - epoch * 0.1, wer: 0.9 - epoch * 0.2 });
  }
  return records;
}

test('trainingCurves: per-step and per-epoch training loss, dev curves, events', () => {
  const records = sampleRecords();
  // A resume repeated steps 6 and 7 of epoch 1: the later records win.
  records.push({ type: 'event', step: 5, message: 'resumed' });
  records.push({ type: 'train', step: 6, epoch: 1, loss: 100 });
  records.push({ type: 'train', step: 7, epoch: 1, loss: 100 });
  records.push({ type: 'dev', step: 7, epoch: 1, loss: 50, cer: 0.3 });
  records.push({ type: 'other', step: 1 });
  const c = trainingCurves(records);
  assert.equal(c.trainSteps.length, 12);
  assert.deepEqual(c.trainSteps[6], [6, 100]);
  assert.deepEqual(c.trainEpochs, [[3, (10 + 9.5 + 9 + 8.5) / 4], [7, (7 + 6.5 + 100 + 100) / 4], [11, (4 + 3.5 + 3 + 2.5) / 4]]);
  assert.deepEqual(c.devLoss, [[3, 9], [7, 50], [11, 3]]);
  assert.deepEqual(c.devCer.map((p) => p[1]), [0.5, 0.3, 0.5 - 2 * 0.1]);
  assert.deepEqual(c.devWer.map((p) => p[0]), [3, 11]);
  assert.deepEqual(c.events, [{ step: 5, message: 'resumed' }]);
});

test('a dev record without a step sits at the end of its epoch; non-finite losses are left out of epoch means', () => {
  const c = trainingCurves([
    { type: 'train', step: 0, epoch: 0, loss: 2 },
    { type: 'train', step: 1, epoch: 0, loss: Infinity },
    { type: 'train', step: 2, epoch: 0, loss: 4 },
    { type: 'dev', epoch: 0, loss: 1 },
  ]);
  assert.deepEqual(c.trainEpochs, [[2, 3]]);
  assert.deepEqual(c.devLoss, [[2, 1]]);
});

test('binPoints averages equal-count bins', () => {
  const pts: [number, number][] = Array.from({ length: 10 }, (_, i) => [i, i * 2]);
  assert.deepEqual(binPoints(pts, 20), pts);
  assert.deepEqual(binPoints(pts, 5), [[0.5, 1], [2.5, 5], [4.5, 9], [6.5, 13], [8.5, 17]]);
  assert.equal(binPoints(Array.from({ length: 100_000 }, (_, i): [number, number] => [i, 1]), 1000).length, 1000);
});

test('trainingPlotSvg has a loss panel and an error-rate panel in percent', () => {
  const svg = trainingPlotSvg(sampleRecords(), { title: 'run 1' });
  assert.ok(svg.includes('run 1'));
  assert.ok(svg.includes('>Loss<'));
  assert.ok(svg.includes('Dev error rate'));
  assert.ok(svg.includes('CER (best 30.0%)'));
  assert.ok(svg.includes('WER (best 50.0%)'));
  assert.ok(svg.includes('dev (best 3)'));
  assert.ok(/>40%</.test(svg), 'percent ticks');
  const noDev = trainingPlotSvg(sampleRecords().filter((r) => r.type === 'train'), { logScale: true });
  assert.ok(!noDev.includes('Dev error rate'));
  assert.ok(noDev.includes('(log scale)'));
});

test('writeTrainingPlot writes the SVG beside the log, skipping a torn last line', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-plot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const logPath = join(dir, 'train-log.jsonl');
  const log = TrainingLogWriter.open(logPath, { sync: false });
  for (const r of sampleRecords()) log.append(r);
  log.close();
  writeFileSync(logPath, readFileSync(logPath, 'utf8') + '{"type":"tra');
  const out = writeTrainingPlot(logPath);
  assert.equal(out, join(dir, 'train-log.svg'));
  assert.ok(readFileSync(out, 'utf8').includes('</svg>'));
  assert.equal(writeTrainingPlot(logPath, { out: join(dir, 'curves.svg') }), join(dir, 'curves.svg'));
});

const rsvg = ['/usr/bin/rsvg-convert', '/usr/local/bin/rsvg-convert'].find((p) => existsSync(p));

test('the SVG is well formed for a real renderer (rsvg-convert, where installed)', { skip: rsvg === undefined ? 'rsvg-convert not installed' : false }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-plot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const svgPath = join(dir, 'p.svg');
  writeFileSync(svgPath, trainingPlotSvg(sampleRecords(), { logScale: true }));
  execFileSync(rsvg!, [svgPath, '-o', join(dir, 'p.png')]);
  assert.ok(readFileSync(join(dir, 'p.png')).subarray(1, 4).toString() === 'PNG');
});
