import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadModelDir } from '../../src/model/io/model-dir.js';
import { PYTHON, repoPath, runPython, torchEnv, torchMissing } from '../python/python.js';

const skip = torchMissing();
const run = promisify(execFile);
const MAIN = repoPath('dist/src/cli/main.js');
const HELLO = repoPath('samples/hello.wav');
const TEXT = 'hello world this is a test of the speech recogniser';

/** A manifest of `copies` lines of samples/hello.wav, and a tiny CTC config (20 mel bins, one BiLSTM layer, frames stacked 2 every 2). */
function tinySetup(copies: number): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-torch-train-'));
  writeFileSync(join(dir, 'train.jsonl'), `${JSON.stringify({ audio: HELLO, text: TEXT, duration: 3.47 })}\n`.repeat(copies));
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ inputDim: 20, hiddenSize: 48, numLayers: 1, frameStack: 2, frameStride: 2 }));
  return {
    dir,
    args: ['--train', join(dir, 'train.jsonl'), '--model-config', join(dir, 'model.json'), '--front-end', '{"sampleRate": 16000, "fbank": {"numMelBins": 20}}',
      '--out', join(dir, 'model'), '--workers', '0', '--lr', '0.01', '--max-batch', '1'],
  };
}

describe('training in PyTorch (python -m sayre_torch.train), serving in sayre', { skip }, () => {
  it('a model trained 160 steps in PyTorch on one utterance transcribes it in sayre (torchaudio fbank in training, sayre\'s at inference)', async () => {
    const { dir, args } = tinySetup(40);
    runPython(['-m', 'sayre_torch.train', ...args, '--epochs', '4', '--log-every', '80']);
    const { stdout } = await run(process.execPath, [MAIN, 'transcribe', '--model', join(dir, 'model'), HELLO]);
    assert.equal(stdout.trim(), TEXT);
  });

  // Started as torchrun starts them (its environment variables): Debian bookworm's
  // torch.distributed.run fails under Python 3.11 before it starts any worker.
  it('runs as two DistributedDataParallel processes (gloo) and writes one model directory', async () => {
    const { dir, args } = tinySetup(4);
    const port = String(20000 + (process.pid % 20000));
    const outs = await Promise.all([0, 1].map((rank) => run(PYTHON, ['-m', 'sayre_torch.train', ...args, '--steps', '2', '--log-every', '1'], {
      env: { ...torchEnv(), WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank), MASTER_ADDR: '127.0.0.1', MASTER_PORT: port },
    })));
    assert.match(outs[0]!.stdout, /step 2 loss [\d.]+ \(\d+ frames\/s over 2 process\(es\)\)/);
    assert.equal(outs[1]!.stdout, '', 'only rank 0 logs');
    const loaded = loadModelDir(join(dir, 'model'));
    assert.deepEqual(loaded.info['processes'], 2);
    assert.equal(loaded.model.config.hiddenSize, 48);
  });
});
