/**
 * The demo page in headless Chromium: it loads without console errors, a sample WAV
 * dropped on it is transcribed client-side (WASM backend) to the same text as the Node
 * library gives, and the output-matrix image is drawn. Skips where Chromium is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import { rewriteImports } from '../../src/server/static-files.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';

const chromium = chromiumPath();
// The bundled model where it has been trained into the package, else a small random one.
const modelDir = existsSync(join(bundledModelDir(), 'model.safetensors')) ? bundledModelDir() : makeTinyModelDir();

let server: SayreServer | undefined;
before(async () => {
  if (!chromium) return;
  server = await startServer(await WorkerEngine.create({ modelDir }), { port: 0, modelDir });
});
after(async () => { await server?.close(); });

test('demo page: drop a WAV, get the Node library\'s text, the word timings and the output matrix', { skip: chromium ? false : 'chromium is not installed (/usr/bin/chromium)' }, async () => {
  const browser = await launchChromium(chromium!);
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(`${server!.url}/`);
    await page.waitForFunction(() => document.body.dataset['state'] !== 'loading', undefined, { timeout: 60000 });
    assert.equal(await page.evaluate(() => document.body.dataset['state']), 'ready', await page.textContent('#status') ?? '');
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true, 'the COOP/COEP headers make the page cross-origin isolated');
    // Isolated: the worker's WASM backend runs on as many threads as the browser reports cores.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(Number(await page.evaluate(() => document.body.dataset['threads'])), cores);

    // Drop hello.wav onto the drop zone, as a user would.
    await page.evaluate(async () => {
      const bytes = await (await fetch('/samples/hello.wav')).arrayBuffer();
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'hello.wav', { type: 'audio/wav' }));
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.body.dataset['state'] === 'done' || document.body.dataset['state'] === 'error', undefined, { timeout: 120000 });
    assert.equal(await page.evaluate(() => document.body.dataset['state']), 'done', await page.textContent('#status') ?? '');

    // The page fetches the weights only, not the directory's LM: it decodes by best path, as Node does with lm: false.
    const node = Recognizer.load(modelDir, { lm: false }).transcribeFile(fileURLToPath(new URL('hello.wav', SAMPLES)));
    const shown = await page.evaluate(() => (globalThis as unknown as { sayreDemo: { last: { text: string; words: { word: string; start: number; end: number }[] } } }).sayreDemo.last);
    assert.equal(shown.text, node.text, 'the browser and Node give the same text');
    assert.deepEqual(shown.words.map((w) => w.word), node.words.map((w) => w.word));
    if (node.text) assert.equal(await page.textContent('#transcript'), node.text);
    assert.equal(await page.locator('#words .word').count(), node.words.length);

    // The output matrix: as many frames as the model's output, and a drawn (non-blank) image.
    const matrix = await page.evaluate(() => {
      const c = document.getElementById('matrix') as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < px.length; i += 4 * 97) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
      return { frames: Number(c.dataset['frames']), width: c.width, height: c.height, colours: colours.size };
    });
    const expectedFrames = Math.ceil(node.duration / Recognizer.load(modelDir).secondsPerFrame) ;
    assert.ok(Math.abs(matrix.frames - expectedFrames) <= 2, `${matrix.frames} frames drawn, about ${expectedFrames} expected`);
    assert.ok(matrix.width > 300 && matrix.height > 300, `canvas ${matrix.width}x${matrix.height}`);
    assert.ok(matrix.colours > 8, `the image has ${matrix.colours} colours`);

    const shots = process.env['SAYRE_SCREENSHOTS'];
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'demo-page.png'), fullPage: true });
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('demo page without cross-origin isolation: one thread, the same text', { skip: chromium ? false : 'chromium is not installed (/usr/bin/chromium)' }, async () => {
  const plain = await startServer(await WorkerEngine.create({ modelDir }), { port: 0, modelDir, isolate: false });
  const browser = await launchChromium(chromium!);
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${plain.url}/`);
    await page.waitForFunction(() => document.body.dataset['state'] !== 'loading', undefined, { timeout: 60000 });
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), false);
    assert.equal(await page.evaluate(() => document.body.dataset['threads']), '1');
    const text = await page.evaluate(async () => {
      const bytes = new Uint8Array(await (await fetch('/samples/fox.wav')).arrayBuffer());
      return (await (globalThis as unknown as { sayreDemo: { transcribeBytes(b: Uint8Array, n: string): Promise<{ text: string }> } }).sayreDemo.transcribeBytes(bytes, 'fox.wav')).text;
    });
    assert.equal(text, Recognizer.load(modelDir, { lm: false }).transcribeFile(fileURLToPath(new URL('fox.wav', SAMPLES))).text);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await plain.close();
  }
});

test('demo page: a microphone recording (Chromium\'s fake device) is decoded by the browser and transcribed', { skip: chromium ? false : 'chromium is not installed (/usr/bin/chromium)' }, async () => {
  const browser = await launchChromium(chromium!, ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  try {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(`${server!.url}/`);
    await page.waitForFunction(() => document.body.dataset['state'] === 'ready', undefined, { timeout: 60000 });
    await page.click('#record');
    await page.waitForFunction(() => document.getElementById('record')!.classList.contains('recording'));
    await page.waitForTimeout(1500);
    await page.click('#record');
    await page.waitForFunction(() => document.body.dataset['state'] === 'done' || document.body.dataset['state'] === 'error', undefined, { timeout: 60000 });
    assert.equal(await page.evaluate(() => document.body.dataset['state']), 'done', await page.textContent('#status') ?? '');
    const last = await page.evaluate(() => (globalThis as unknown as { sayreDemo: { last: { duration: number } } }).sayreDemo.last);
    assert.ok(last.duration > 0.8 && last.duration < 10, `recorded ${last.duration} s`);
    assert.ok(Number(await page.evaluate(() => document.getElementById('matrix')!.dataset['frames'])) > 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('bare import specifiers are pointed at the wrapped packages and the Node stand-ins', () => {
  const src = "import wavefile from 'wavefile';\nimport { readFileSync } from \"node:fs\";\nexport { x } from '../browser/x.js';\nconst m = await import('node:os');\nimport FFT from 'fft.js';\nimport { Gunzip } from 'fflate';\nimport y from 'unknown-package';";
  assert.equal(rewriteImports(src), "import wavefile from '/vendor/wavefile.js';\nimport { readFileSync } from \"/shims/fs.js\";\nexport { x } from '../browser/x.js';\nconst m = await import('/shims/os.js');\nimport FFT from '/vendor/fft.js';\nimport { Gunzip } from '/vendor/fflate.js';\nimport y from 'unknown-package';");
});
