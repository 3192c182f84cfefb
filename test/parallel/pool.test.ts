/** The worker pool: every index runs once, on several threads, and errors come back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolStats, runParallel } from '../../src/parallel/pool.js';
import { spinTask, type SpinArgs } from './spin-task.js';

const task = { module: new URL('./spin-task.js', import.meta.url).href, fn: 'spinTask' };

function args(count: number, ms: number, failAt = -1): SpinArgs {
  return { ran: new Int32Array(new SharedArrayBuffer(count * 4)), ms, failAt };
}

test('every index runs exactly once, spread over the calling thread and the workers', () => {
  const a = args(40, 2);
  runParallel(task, spinTask, a, 40, 3);
  assert.ok(a.ran.every((v) => v > 0), 'all indices ran');
  const threads = new Set(a.ran);
  assert.ok(threads.has(1), 'the calling thread (id 0) took part');
  assert.ok(threads.size >= 2, `ran on ${threads.size} threads`);
  assert.ok(poolStats().workers >= 2);
});

test('one thread, or one item, runs inline', () => {
  const before = poolStats().parallelRuns;
  const a = args(5, 0);
  runParallel(task, spinTask, a, 5, 1);
  const b = args(1, 0);
  runParallel(task, spinTask, b, 1, 4);
  assert.equal(poolStats().parallelRuns, before);
  assert.ok(a.ran.every((v) => v === 1) && b.ran[0] === 1);
});

test('an error in any thread is rethrown with its message, and the pool still works after', () => {
  for (const failAt of [0, 25, 39]) {
    assert.throws(() => runParallel(task, spinTask, args(40, 0.5, failAt), 40, 2), new RegExp(`task failed at index ${failAt}`));
  }
  const a = args(10, 1);
  runParallel(task, spinTask, a, 10, 2);
  assert.ok(a.ran.every((v) => v > 0));
});
