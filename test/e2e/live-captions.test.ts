/**
 * The demo page's live captions in headless Chromium, its fake microphone playing a sample
 * clip in a loop: served as `sayre serve` does (files with the bundled model, live streams
 * with the bundled streaming model), the page captions with the streaming model; partials
 * while the clip plays, a final at each pause, and those finals equal to what the
 * streaming model in Node makes of the very audio the page captured. A denied and an
 * absent microphone are explained on the page. Skips where Chromium is absent.
 *
 * The finals are compared exactly with the streaming model's on the captured audio; that
 * the captured audio is the clip is checked apart, loosely: the bidirectional model reads
 * the second final's stretch of it about as it reads the clip. (A final's text depends on
 * the silence before the speech and on Chromium's resampling of the clip to the audio
 * context's rate: the same clip padded with silence at its own rate already gives a few
 * different letters in Node, and the weaker streaming model more.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { readWav } from '../../src/audio/wav-read.js';
import { writeWav } from '../../src/audio/wav-write.js';
import { WasmBackend } from '../../src/backend/wasm/wasm-backend.js';
import { cer } from '../../src/metrics/error-rate.js';
import { bundledModelDir, defaultStreamingModelDir } from '../../src/recognizer/default-model.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { type FinalEvent, type StreamEvent, StreamSession } from '../../src/recognizer/stream-session.js';
import { startServer, type SayreServer } from '../../src/server/server.js';
import { StreamWorkerEngine } from '../../src/server/stream-worker-engine.js';
import { WorkerEngine } from '../../src/server/worker-engine.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { SAMPLES } from '../helpers/tiny-model.js';

const chromium = chromiumPath();
const modelDir = bundledModelDir();
const streamModelDir = defaultStreamingModelDir();
const skip = !chromium ? 'chromium is not installed (/usr/bin/chromium)'
  : ![modelDir, streamModelDir].every((d) => existsSync(join(d, 'model.safetensors'))) ? `the bundled models are not in this checkout (${modelDir}, ${streamModelDir})` : false;
const CLIP = fileURLToPath(new URL('hello.wav', SAMPLES));
/** The clip's offline text may differ from that of a captured loop of it by this share of characters (see the module comment); measured 0 to 0.08. */
const MAX_CER_TO_CLIP = 0.2;

let server: SayreServer | undefined;
let dir: string | undefined;
before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'sayre-live-'));
  server = await startServer(await WorkerEngine.create({ modelDir }), { port: 0, modelDir, streamModelDir }, await StreamWorkerEngine.create({ modelDir: streamModelDir }));
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The clip between 0.5 s and 1.5 s of silence: Chromium loops it, and each pause ends an utterance (0.8 s of silence after speech). */
function paddedClip(): string {
  const wav = readWav(CLIP);
  const silence = (s: number): Float32Array => new Float32Array(Math.round(s * wav.sampleRate));
  const padded = new Float32Array([...silence(0.5), ...wav.samples, ...silence(1.5)]);
  const path = join(dir!, 'hello-padded.wav');
  writeWav(path, padded, wav.sampleRate);
  return path;
}

/** Opens the page, collecting console errors and page errors into the returned list. */
async function openPage(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${server!.url}/`);
  await page.waitForFunction(() => document.body.dataset['state'] !== 'loading', undefined, { timeout: 60000 });
  return problems;
}

/** What the page exposes of its live captions (window.sayreDemo.live). */
interface Demo {
  sayreDemo: { live: { keepAudio: boolean; events: StreamEvent[]; audio?: { samples: Float32Array; sampleRate: number } } };
}

test('live captions: the fake microphone gives partials as it speaks and finals equal to the streaming model\'s on the same audio', { skip }, async () => {
  const browser = await launchChromium(chromium!, ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${paddedClip()}`]);
  try {
    const page = await browser.context.newPage();
    const problems = await openPage(page);
    assert.equal(await page.evaluate(() => document.body.dataset['liveModel']), basename(streamModelDir), 'live captions run the server\'s streaming model');
    assert.match(await page.textContent('#engine') ?? '', new RegExp(`live captions with ${basename(streamModelDir)}`));
    await page.evaluate(() => { (globalThis as unknown as Demo).sayreDemo.live.keepAudio = true; });
    await page.click('#live');
    await page.waitForFunction(() => document.body.dataset['live'] !== 'starting', undefined, { timeout: 60000 });
    assert.equal(await page.evaluate(() => document.body.dataset['live']), 'on', await page.textContent('#live-status') ?? '');
    // Two endpoints: the second utterance holds a whole loop of the clip (the first may have begun before the microphone was tapped).
    await page.waitForFunction(() => (globalThis as unknown as Demo).sayreDemo.live.events.filter((e) => e.type === 'final').length >= 2, undefined, { timeout: 300000 });
    await page.click('#live');
    await page.waitForFunction(() => document.body.dataset['live'] === 'off', undefined, { timeout: 300000 });
    assert.equal(await page.evaluate(() => document.body.dataset['liveError']), undefined, await page.textContent('#live-status') ?? '');

    const shown = await page.evaluate(() => {
      const l = (globalThis as unknown as Demo).sayreDemo.live;
      const bytes = new Uint8Array(l.audio!.samples.buffer);
      let binary = '';
      for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
      const lines = [...document.querySelectorAll('#finals .final')].map((p) => p.firstChild!.textContent);
      return { events: l.events, audio: btoa(binary), sampleRate: l.audio!.sampleRate, lines, partialLine: document.getElementById('partial')!.textContent };
    });
    const finals = shown.events.filter((e) => e.type === 'final');
    const firstFinal = shown.events.findIndex((e) => e.type === 'final');
    assert.ok(shown.events.slice(0, firstFinal).some((e) => e.type === 'partial' && e.text.trim() !== ''), 'a partial with text came before the first final');
    assert.deepEqual(shown.lines, finals.map((f) => f.text), 'the page shows each final on its own line');
    assert.equal(shown.partialLine, '', 'the partial line is cleared by the last final');

    // The same audio through a StreamSession in Node, on the browser's WASM kernels, in other chunks: the same finals.
    const bytes = Buffer.from(shown.audio, 'base64');
    const audio = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    assert.ok(audio.length > 8 * shown.sampleRate, `${audio.length} samples at ${shown.sampleRate} Hz captured`);
    const wasm = await WasmBackend.create();
    const rec = Recognizer.load(streamModelDir, { backend: wasm, lm: false });
    assert.equal(rec.loaded.model.streaming, true, `${streamModelDir} is a streaming model`);
    const session = new StreamSession(rec);
    const node: StreamEvent[] = [];
    for (let at = 0; at < audio.length; at += 1000) node.push(...session.accept(audio.subarray(at, at + 1000), shown.sampleRate));
    node.push(...session.end());
    assert.deepEqual(finals, node.filter((e) => e.type === 'final'));

    const offline = Recognizer.load(modelDir, { backend: wasm, lm: false });
    const second = finals[1] as FinalEvent;
    const loop = offline.transcribe(audio.subarray(Math.floor(second.start * shown.sampleRate), Math.ceil(second.end * shown.sampleRate)), shown.sampleRate).text;
    const clip = offline.transcribeFile(CLIP).text;
    assert.ok(cer(clip, loop) <= MAX_CER_TO_CLIP, `a captured loop of the clip reads "${loop}", the clip alone "${clip}"`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

/** Clicks Start with Chromium launched with `flags`; returns the page's live state and status line. */
async function startWith(flags: string[]): Promise<{ state?: string; error?: string; status: string; problems: string[] }> {
  const browser = await launchChromium(chromium!, flags);
  try {
    const page = await browser.context.newPage();
    const problems = await openPage(page);
    await page.click('#live');
    await page.waitForFunction(() => document.body.dataset['live'] === 'off' || document.body.dataset['live'] === 'on', undefined, { timeout: 60000 });
    const [state, error] = await page.evaluate(() => [document.body.dataset['live'], document.body.dataset['liveError']]);
    return { state, error, status: await page.textContent('#live-status') ?? '', problems };
  } finally {
    await browser.close();
  }
}

test('live captions: a denied microphone is explained', { skip }, async () => {
  const r = await startWith(['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
  assert.equal(r.state, 'off');
  assert.equal(r.error, 'true');
  assert.match(r.status, /Microphone access was denied/);
  assert.deepEqual(r.problems, []);
});

test('live captions: no microphone is explained', { skip }, async (t: TestContext) => {
  const r = await startWith(['--use-fake-ui-for-media-stream']);
  if (r.state === 'on') return t.skip('this machine has a microphone, so Chromium finds one');
  assert.equal(r.error, 'true');
  assert.match(r.status, /No microphone was found/);
  assert.deepEqual(r.problems, []);
});
