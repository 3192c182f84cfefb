import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { send } from '../server/http-client.js';
import { makeTinyModelDir } from '../helpers/tiny-model.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('sayre serve: listens where it says, answers, and exits cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--model', makeTinyModelDir('cli-model'), '--max-queue', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) resolve(m[1]!);
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      child.once('exit', (code) => reject(new Error(`sayre serve exited (${code}): ${err}`)));
    });
    const h = (await send(`${url}/health`)).json<{ model: string; queue: { maxWaiting: number } }>();
    assert.deepEqual([h.model, h.queue.maxWaiting], ['cli-model', 2]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill();
  }
});

test('sayre serve: a model directory that is not there fails at start, saying so', async () => {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--model', '/nonexistent/model'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 1);
  assert.match(err, /\/nonexistent\/model/);
});

test('sayre serve: a text-line model as --model or --stream-model is refused at start, saying a speech model is needed', async () => {
  for (const flag of ['--model', '--stream-model']) {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', flag, 'text-lines'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 1, flag);
    assert.match(err, new RegExp(`${flag} text-lines: a text-line model; sayre serve transcribes speech`), flag);
  }
});
