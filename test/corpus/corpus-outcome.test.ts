import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command, CommanderError } from 'commander';
import { corpusExitCode, DEFAULT_MAX_FAILED, maxFailedOption } from '../../src/cli/corpus-outcome.js';

/** corpusExitCode's code and what it printed to stderr. */
function outcome(done: number, total: number, failed: number, aborted = false, maxFailed = DEFAULT_MAX_FAILED): { code: number; err: string } {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...m: unknown[]) => void lines.push(m.join(' '));
  try {
    return { code: corpusExitCode({ done, total, failed }, aborted, maxFailed, 'lines'), err: lines.join('\n') };
  } finally {
    console.error = original;
  }
}

test('a corpus build: a few items that always fail are left out with a warning; more, or a stopped build, is an error', () => {
  assert.deepEqual(outcome(1000, 1000, 0), { code: 0, err: '' });
  const few = outcome(13200, 13200, 1);
  assert.equal(few.code, 0, 'one line in 13,200 (a font that cannot draw it) does not stop a recipe');
  assert.match(few.err, /warning: 1 of 13200 lines failed and are left out \(within --max-failed 0\.002\); a rerun retries them/);
  const many = outcome(1000, 1000, 3);
  assert.equal(many.code, 1);
  assert.match(many.err, /3 of 1000 lines failed \(more than --max-failed 0\.002\)/);
  assert.equal(outcome(1000, 1000, 3, false, 0.01).code, 0);
  assert.equal(outcome(1000, 1000, 1, false, 0).code, 1, '--max-failed 0: any failure is an error');
  const stopped = outcome(400, 1000, 0, true);
  assert.equal(stopped.code, 130);
  assert.match(stopped.err, /corpus incomplete \(400 of 1000 done, 0 failed\); rerun the same command to resume/);
  assert.equal(outcome(400, 1000, 0).code, 1);
});

test('--max-failed: a share between 0 and 1, 0.002 by default', () => {
  const parse = (args: string[]): number => {
    const c = new Command().exitOverride().configureOutput({ writeErr: () => undefined }).addOption(maxFailedOption());
    return c.parse(args, { from: 'user' }).opts<{ maxFailed: number }>().maxFailed;
  };
  assert.equal(parse([]), 0.002);
  assert.equal(parse(['--max-failed', '0.05']), 0.05);
  assert.throws(() => parse(['--max-failed', '2']), (e: Error) => e instanceof CommanderError && /--max-failed: bad value "2"/.test(e.message));
});
