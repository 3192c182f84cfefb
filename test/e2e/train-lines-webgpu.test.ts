/**
 * `sayre train --backend webgpu` with a CRNN config, end to end under SwiftShader: a tiny
 * 2-epoch run on rendered lines trains on the device step for step as the same run on
 * wasm (losses and gradient norms) and writes the same model directory; `sayre transcribe
 * --backend webgpu` reads a rendered line with the bundled text-line model as wasm does, and
 * `sayre eval --backend webgpu` scores the run's model as wasm does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readSafetensors } from '../../src/model/io/safetensors.js';
import { readTrainingLog } from '../../src/train/log.js';
import { assertClose } from '../helpers/compare.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';
import { makeTinyLines, renderMissing, tinyLineConfig } from './tiny-lines.js';

const { skip: noGpu } = await webgpuBackendForTests();
const skip = noGpu ?? renderMissing();
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  promisify(execFile)(process.execPath, [MAIN, ...args], { env: { ...process.env }, maxBuffer: 1 << 24 });
const TEXTS = ['hey', 'meet me', 'a dog ran'];

/** The train records of a run's log: loss and gradient norm per step. */
function steps(dir: string): { loss: number; gradNorm: number }[] {
  return readTrainingLog(join(dir, 'log.jsonl')).records.filter((r) => r.type === 'train') as unknown as { loss: number; gradNorm: number }[];
}

test('sayre train --backend webgpu trains a tiny CRNN as wasm does; sayre transcribe --backend webgpu reads a line image as wasm does', { skip }, async () => {
  const corpus = await makeTinyLines(TEXTS);
  try {
    const configPath = join(corpus, 'config.json');
    // SGD with momentum: Adam's first steps divide tiny gradients by their own size, so float32
    // differences between the backends grow there (the device Adam has its own test).
    const config = tinyLineConfig(2);
    writeFileSync(configPath, JSON.stringify({ ...config, training: { ...config.training, optimizer: { kind: 'sgd', momentum: 0.9 } } }));
    const data = ['--train', join(corpus, 'train.jsonl'), '--dev', join(corpus, 'dev.jsonl')];
    const gpuRun = join(corpus, 'gpu');
    const { stdout } = await sayre('train', '--backend', 'webgpu', '--config', configPath, ...data, '--out', gpuRun);
    assert.match(stdout, /max epochs: 2 epochs, 6 steps/);
    assert.ok(existsSync(join(gpuRun, 'model', 'model.safetensors')), 'model directory written');

    const cpuRun = join(corpus, 'wasm');
    await sayre('train', '--backend', 'wasm', '--config', configPath, ...data, '--out', cpuRun);
    const got = steps(gpuRun), want = steps(cpuRun);
    assert.equal(got.length, 6);
    for (const [i, w] of want.entries()) {
      const g = got[i]!;
      assert.ok(Number.isFinite(g.loss) && Math.abs(g.loss - w.loss) <= 1e-4 * (1 + w.loss), `step ${i} loss ${g.loss} vs ${w.loss}`);
      assert.ok(Math.abs(g.gradNorm - w.gradNorm) <= 1e-4 * (1 + w.gradNorm), `step ${i} norm ${g.gradNorm} vs ${w.gradNorm}`);
    }

    // The model directory written from the device holds the weights the CPU run wrote.
    const gw = readSafetensors(join(gpuRun, 'model', 'model.safetensors')), cw = readSafetensors(join(cpuRun, 'model', 'model.safetensors'));
    for (const [name, t] of cw.tensors) assertClose(gw.tensors.get(name)!.data as Float32Array, t.data as Float32Array, 1e-4, name);

    // The command line reads a line image on webgpu (the bundled model, best path) as on wasm.
    const image = join(corpus, 'img', 'l0.png');
    const onGpu = await sayre('transcribe', '--backend', 'webgpu', '--no-lm', '--model', 'text-lines', image);
    const onCpu = await sayre('transcribe', '--backend', 'wasm', '--no-lm', '--model', 'text-lines', image);
    assert.equal(onCpu.stdout, `${TEXTS[0]}\n`);
    assert.equal(onGpu.stdout, onCpu.stdout);

    // sayre eval --backend webgpu scores the run's model on the dev lines as wasm does.
    const scored = async (backend: string): Promise<string[]> => {
      const jsonl = join(corpus, `eval-${backend}.jsonl`);
      await sayre('eval', '--backend', backend, '--no-lm', '--model', join(gpuRun, 'model'), '--manifest', join(corpus, 'dev.jsonl'), '--report', join(corpus, `eval-${backend}.txt`), '--jsonl', jsonl);
      return readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { hyp: string }).hyp);
    };
    const gpuHyps = await scored('webgpu');
    assert.equal(gpuHyps.length, TEXTS.length);
    assert.deepEqual(gpuHyps, await scored('wasm'));
  } finally {
    rmSync(corpus, { recursive: true, force: true });
  }
});
