/** The one thread policy of the library. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { resolveThreads } from '../../src/backend/threads.js';

test('thread count: option, then SAYRE_THREADS, then every core (one policy for backends and losses)', () => {
  const saved = process.env['SAYRE_THREADS'];
  try {
    delete process.env['SAYRE_THREADS'];
    assert.equal(resolveThreads(), availableParallelism());
    process.env['SAYRE_THREADS'] = '3';
    assert.equal(resolveThreads(), 3);
    assert.equal(resolveThreads(1), 1);
    process.env['SAYRE_THREADS'] = 'many';
    assert.throws(() => resolveThreads(), /SAYRE_THREADS=many: thread count must be a positive integer/);
  } finally {
    if (saved === undefined) delete process.env['SAYRE_THREADS'];
    else process.env['SAYRE_THREADS'] = saved;
  }
});
