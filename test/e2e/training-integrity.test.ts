/**
 * Training runs and checkpoints that nothing loses: checksums verified on load and resume,
 * --resume before the first checkpoint, a tidy run directory at the end, and errors that
 * name the file (damaged JSON, ENOSPC).
 */
import assert from 'node:assert/strict';
import fs, { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encodeWav } from '../../src/audio/wav-write.js';
import { CtcModel } from '../../src/model/ctc-model.js';
import { loadAnyCheckpoint, loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { TrainingLogWriter } from '../../src/train/log.js';
import { writeSafetensors } from '../../src/model/io/safetensors.js';
import { trainingRun } from '../../src/train/run/training-run.js';
import { writeFileAtomic } from '../../src/util/atomic-write.js';
import { tinyConfig } from '../helpers/tiny-corpus.js';
import { tempDir } from '../helpers/hostile-files.js';

/** Two tones with one-letter transcripts (no TTS needed): train and dev manifests. */
function toneCorpus(): string {
  const dir = tempDir('sayre-tones-');
  mkdirSync(join(dir, 'wav'));
  const lines = ['a', 'b'].map((text, i) => {
    const samples = new Float32Array(8000).map((_, t) => 0.3 * Math.sin((t * (i + 1) * 2 * Math.PI * 220) / 16000));
    writeFileSync(join(dir, `wav/${text}.wav`), encodeWav(samples, 16000));
    return JSON.stringify({ audio: `wav/${text}.wav`, text, duration: 0.5 });
  });
  for (const m of ['train.jsonl', 'dev.jsonl']) writeFileSync(join(dir, m), lines.join('\n') + '\n');
  return dir;
}

const config = (maxEpochs = 1) => tinyConfig({ maxEpochs, weightNoise: 0 });
const run = (corpus: string, out: string, resume = false, maxEpochs = 1) =>
  trainingRun({ out, config: config(maxEpochs), train: join(corpus, 'train.jsonl'), dev: join(corpus, 'dev.jsonl'), resume, stream: null });

/** Makes node:fs writeSync throw ENOSPC while `body` runs (named imports included: syncBuiltinESMExports). */
async function withFullDisk<T>(body: () => T | Promise<T>): Promise<T> {
  const original = fs.writeSync;
  (fs as unknown as Record<string, unknown>).writeSync = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  };
  syncBuiltinESMExports();
  try {
    return await body();
  } finally {
    (fs as unknown as Record<string, unknown>).writeSync = original;
    syncBuiltinESMExports();
  }
}

const tinyModel = () => new CtcModel({ inputDim: 4, hiddenSize: 3, numLayers: 1, numClasses: 5 }, { seed: 1 });

describe('checkpoint checksums', () => {
  test('a checkpoint carries a CRC-32 of its data; a flipped byte is refused by name on load', () => {
    const dir = tempDir();
    const path = join(dir, 'ckpt-1.safetensors');
    const model = tinyModel();
    saveCheckpoint(path, model);
    const bytes = readFileSync(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as { __metadata__: Record<string, string> };
    assert.match(header.__metadata__['checksum']!, /^crc32:[0-9a-f]{8}$/);
    assert.deepEqual(loadCheckpoint(path).model.params.data, model.params.data);
    // Flip one bit in the middle of the tensor data.
    bytes[8 + headerLength + 37]! ^= 0x10;
    writeFileSync(path, bytes);
    assert.throws(() => loadCheckpoint(path), new RegExp(`checkpoint ${path}: checksum mismatch \\(stored crc32:[0-9a-f]{8}, data crc32:[0-9a-f]{8}\\): the file is damaged`));
    assert.throws(() => loadAnyCheckpoint(path), /checksum mismatch/);
  });

  test('a checkpoint without a checksum (written before them) still loads; non-finite weights are refused by name', () => {
    const dir = tempDir();
    const path = join(dir, 'old.safetensors');
    const model = tinyModel();
    const tensors = model.params.entries.map((e): [string, { shape: number[]; data: Float32Array }] => [e.name, { shape: [...e.shape], data: model.params.value(e.name) }]);
    writeSafetensors(path, tensors, { format: 'sayre.ctc-checkpoint/1', config: JSON.stringify(model.config) });
    assert.deepEqual(loadCheckpoint(path).model.params.data, model.params.data);
    model.params.data[3] = NaN;
    writeSafetensors(path, tensors, { format: 'sayre.ctc-checkpoint/1', config: JSON.stringify(model.config) });
    assert.throws(() => loadCheckpoint(path), new RegExp(`checkpoint ${path}: lstm\\.weight_ih_l0 holds a non-finite value \\(NaN\\) at index 3`));
  });
});

describe('training runs', () => {
  test('--resume works when the run stopped before its first checkpoint (run.json has what is needed)', async () => {
    const corpus = toneCorpus();
    const out = join(corpus, 'run');
    // A run that stops after writing run.json: its training manifest cannot be read yet.
    const manifest = readFileSync(join(corpus, 'train.jsonl'), 'utf8');
    writeFileSync(join(corpus, 'train.jsonl'), '{not json\n');
    await assert.rejects(run(corpus, out), /train\.jsonl:1: invalid JSON/);
    assert.ok(existsSync(join(out, 'run.json')) && !existsSync(join(out, 'state.json')));
    writeFileSync(join(corpus, 'train.jsonl'), manifest);
    const r = await trainingRun({ out, resume: true, stream: null });
    assert.equal(r.reason, 'max epochs');
    assert.equal(r.epochs, 1);
  });

  test('a damaged checkpoint is refused by name on resume; a finished run leaves one checkpoint and no temporary files', async () => {
    const corpus = toneCorpus();
    const out = join(corpus, 'run');
    await run(corpus, out);
    // Leftovers of a killed session: a superseded checkpoint and a half-written one of a dead process.
    writeFileSync(join(out, 'ckpt-0.safetensors'), 'old');
    writeFileSync(join(out, '.ckpt-7.safetensors.999999999.0.tmp'), 'half');
    const state = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8')) as { checkpoint: string };
    const r = await trainingRun({ out, resume: true, stream: null, limits: { maxEpochs: 2 } });
    assert.equal(r.epochs, 2);
    const left = readdirSync(out).filter((f) => f.includes('ckpt-'));
    const now = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8')) as { checkpoint: string };
    assert.deepEqual(left, [now.checkpoint]);
    assert.notEqual(now.checkpoint, state.checkpoint);

    const path = join(out, now.checkpoint);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5]! ^= 0x01;
    writeFileSync(path, bytes);
    await assert.rejects(trainingRun({ out, resume: true, stream: null, limits: { maxEpochs: 3 } }), new RegExp(`checkpoint ${path}: checksum mismatch`));
  });

  test('damaged state.json, run.json and cmvn.json are errors that name the file', async () => {
    const corpus = toneCorpus();
    const out = join(corpus, 'run');
    await run(corpus, out);
    for (const [file, what] of [['state.json', 'run state'], ['run.json', 'run description'], ['cmvn.json', 'CMVN statistics']] as const) {
      const path = join(out, file);
      const good = readFileSync(path);
      writeFileSync(path, good.subarray(0, good.length >> 1));
      await assert.rejects(trainingRun({ out, resume: true, stream: null, limits: { maxEpochs: 2 } }), new RegExp(`${path}: ${what} is not valid JSON`));
      writeFileSync(path, good);
    }
    const cmvn = join(out, 'cmvn.json');
    writeFileSync(cmvn, JSON.stringify({ type: 'cmvn', dim: 23, mean: [1], invStd: null, frames: 1 }));
    await assert.rejects(trainingRun({ out, resume: true, stream: null, limits: { maxEpochs: 2 } }), new RegExp(`${cmvn}: Cmvn.fromJSON: mean must be 23 finite numbers`));
  });

  test('ENOSPC while training names the file being written', async () => {
    const corpus = toneCorpus();
    const out = join(corpus, 'run');
    // The first write of a run is its feature cache; each writer names its file.
    await withFullDisk(() => assert.rejects(run(corpus, out), new RegExp(`${out}/\\S+: cannot write \\(ENOSPC: no space left on device, write\\)`)));
    const dir = tempDir();
    await withFullDisk(() => assert.throws(() => saveCheckpoint(join(dir, 'ckpt-3.safetensors'), tinyModel()), new RegExp(`${join(dir, 'ckpt-3.safetensors')}: cannot write \\(ENOSPC`)));
    assert.deepEqual(readdirSync(dir), [], 'no temporary file left behind');
    await withFullDisk(() => assert.throws(() => writeFileAtomic(join(dir, 'state.json'), '{}'), new RegExp(`${join(dir, 'state.json')}: cannot write \\(ENOSPC`)));
    // The log writer on a full device (a real one where /dev/full exists).
    if (existsSync('/dev/full')) {
      const log = TrainingLogWriter.open('/dev/full');
      assert.throws(() => log.append({ type: 'event', message: 'x' }), /training log \/dev\/full: cannot write \(ENOSPC/);
      log.close();
    }
  });
});
