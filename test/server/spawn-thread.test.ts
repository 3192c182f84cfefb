import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { kernelThreadsEach } from '../../src/server/spawn-thread.js';

test('server threads share the cores (at least one kernel thread each) unless SAYRE_THREADS says otherwise', () => {
  const saved = process.env.SAYRE_THREADS;
  try {
    delete process.env.SAYRE_THREADS;
    const cores = availableParallelism();
    assert.equal(kernelThreadsEach(1), cores);
    assert.equal(kernelThreadsEach(2), Math.max(1, Math.floor(cores / 2)));
    assert.equal(kernelThreadsEach(4 * cores), 1);
    process.env.SAYRE_THREADS = '3';
    assert.equal(kernelThreadsEach(2), undefined, 'each thread reads SAYRE_THREADS itself');
  } finally {
    if (saved === undefined) delete process.env.SAYRE_THREADS;
    else process.env.SAYRE_THREADS = saved;
  }
});
