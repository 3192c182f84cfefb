/**
 * The demo page on WebGPU in headless Chromium (SwiftShader, Chromium's Vulkan driver on
 * the CPU): with an adapter the page transcribes files on WebGPU and says so, and its text
 * equals that of the same page forced onto WASM (?backend=wasm) and of the Node library.
 * SwiftShader is slow, so the clip is a 0.6 s crop of samples/hello.wav. Skips where
 * Chromium or its SwiftShader is absent.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../src/audio/wav-write.js';
import { readWav } from '../../src/audio/wav-read.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';

const chromium = chromiumPath();
const SWIFTSHADER = '/usr/lib/chromium/libvk_swiftshader.so';
const skip = !chromium ? 'chromium is not installed (/usr/bin/chromium)' : !existsSync(SWIFTSHADER) ? `chromium's SwiftShader is absent (${SWIFTSHADER})` : false;
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];
const modelDir = existsSync(join(bundledModelDir(), 'model.safetensors')) ? bundledModelDir() : makeTinyModelDir();

let server: SayreServer | undefined;
before(async () => {
  if (skip) return;
  server = await startServer(await WorkerEngine.create({ modelDir }), { port: 0, modelDir });
});
after(async () => { await server?.close(); });

test('demo page: WebGPU where Chromium has an adapter, shown on the page, with WASM\'s text', { skip }, async () => {
  const wav = readWav(fileURLToPath(new URL('hello.wav', SAMPLES)));
  const crop = wav.samples.slice(0, Math.round(0.6 * wav.sampleRate));
  const bytes = [...encodeWav(crop, wav.sampleRate, '32f')];
  const node = Recognizer.load(modelDir, { lm: false }).transcribe(crop, wav.sampleRate);
  const browser = await launchChromium(chromium!, WEBGPU_FLAGS);
  try {
    const run = async (query: string): Promise<{ backend: string; engine: string; text: string; words: string[] }> => {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
      await page.goto(`${server!.url}/${query}`);
      await page.waitForFunction(() => document.body.dataset['state'] !== 'loading', undefined, { timeout: 120000 });
      assert.equal(await page.evaluate(() => document.body.dataset['state']), 'ready', await page.textContent('#status') ?? '');
      const result = await page.evaluate(async (b) => {
        const demo = (globalThis as unknown as { sayreDemo: { transcribeBytes(b: Uint8Array, n: string): Promise<{ text: string; words: { word: string }[] }> } }).sayreDemo;
        return demo.transcribeBytes(Uint8Array.from(b), 'hello-crop.wav');
      }, bytes);
      assert.deepEqual(problems, []);
      const out = { backend: (await page.evaluate(() => document.body.dataset['backend'])) ?? '', engine: (await page.textContent('#engine')) ?? '', text: result.text, words: result.words.map((w) => w.word) };
      await page.close();
      return out;
    };
    const gpu = await run('');
    assert.equal(gpu.backend, 'webgpu', `the page runs on WebGPU: ${gpu.engine}`);
    assert.match(gpu.engine, /files on WebGPU \(.*swiftshader.*\)/i);
    const wasm = await run('?backend=wasm');
    assert.equal(wasm.backend, 'wasm');
    assert.match(wasm.engine, /WASM/);
    assert.ok(node.text.length > 0, 'the crop says something');
    assert.equal(gpu.text, wasm.text, 'WebGPU and WASM give the same text');
    assert.deepEqual(gpu.words, wasm.words);
    assert.equal(gpu.text, node.text, 'and the Node library\'s');
  } finally {
    await browser.close();
  }
});
