import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readWav } from '../../src/audio/wav-read.js';
import { writeWav } from '../../src/audio/wav-write.js';
import { BUNDLED_STREAMING_MODEL_NAME, bundledModelNames } from '../../src/recognizer/default-model.js';
import type { StreamEvent } from '../../src/recognizer/stream-session.js';
import { ffmpeg, programMissing } from '../helpers/speech-audio.js';
import { makeTinyStreamingCtcDir } from '../helpers/tiny-streaming-model.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));
const sayre = (args: string[], env: NodeJS.ProcessEnv = process.env) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24, env: { ...env, SAYRE_BACKEND: 'js' } });
const events = (stdout: string): StreamEvent[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as StreamEvent);

const model = makeTinyStreamingCtcDir();
const dir = mkdtempSync(join(tmpdir(), 'sayre-stream-cli-'));
// two utterances with 2 s of silence between them and after them
const a = readWav(join(SAMPLES, 'fox.wav')).samples, b = readWav(join(SAMPLES, 'call.wav')).samples;
const two = new Float32Array(a.length + 32000 + b.length + 32000);
two.set(a);
two.set(b, a.length + 32000);
const twoPath = join(dir, 'two.wav');
writeWav(twoPath, two, 16000);

test('transcribe --stream --json prints partial events and, for a streaming model, a final equal to the offline transcript', async () => {
  const hello = join(SAMPLES, 'hello.wav');
  const offline = JSON.parse((await sayre(['transcribe', '--model', model, '--json', hello])).stdout) as { text: string; words: { word: string; start: number; end: number }[] };
  for (const chunk of ['100', '37']) {
    const ev = events((await sayre(['transcribe', '--stream', '--chunk-ms', chunk, '--model', model, '--json', hello])).stdout);
    const finals = ev.filter((e) => e.type === 'final');
    assert.equal(finals.length, 1);
    assert.equal(finals[0]!.text, offline.text);
    assert.deepEqual(finals[0]!.words.map((w) => [w.word, w.start, w.end]), offline.words.map((w) => [w.word, w.start, w.end]));
    const partials = ev.filter((e) => e.type === 'partial');
    assert.ok(partials.length > 2);
    partials.reduce((at, p) => { assert.ok(p.at > at); return p.at; }, 0);
  }
});

const streamingBundled = bundledModelNames().includes(BUNDLED_STREAMING_MODEL_NAME) ? false : 'no bundled streaming model (npm run recipe:english-streaming:bundle)';

test('transcribe --stream uses the bundled streaming model by default (not the offline default); its final is its offline transcript', { skip: streamingBundled }, async () => {
  const hello = join(SAMPLES, 'hello.wav');
  const byDefault = (await sayre(['transcribe', '--stream', '--json', hello])).stdout;
  assert.equal(byDefault, (await sayre(['transcribe', '--stream', '--json', '--model', BUNDLED_STREAMING_MODEL_NAME, hello])).stdout);
  assert.notEqual(byDefault, (await sayre(['transcribe', '--stream', '--json', '--model', 'english', hello])).stdout, 'the bidirectional model streams other events');
  const finals = events(byDefault).filter((e) => e.type === 'final');
  const offline = JSON.parse((await sayre(['transcribe', '--json', '--model', BUNDLED_STREAMING_MODEL_NAME, hello])).stdout) as { text: string };
  assert.equal(finals.map((f) => f.text).join(' '), offline.text);
  assert.notEqual(offline.text, '');
});

test('transcribe --stream ends an utterance at a pause: one final per utterance on the stream\'s clock; plain output is the finals', async () => {
  const ev = events((await sayre(['transcribe', '--stream', '--model', model, '--json', twoPath])).stdout);
  const finals = ev.filter((e) => e.type === 'final');
  // two at the endpoints; the random model may also say something in the trailing silence
  assert.ok(finals.length === 2 || finals.length === 3, JSON.stringify(finals));
  assert.ok(finals[0]!.end <= a.length / 16000 + 1.0);
  assert.ok(finals[1]!.start >= a.length / 16000 + 0.5);
  assert.ok(finals[1]!.end <= (a.length + 32000 + b.length) / 16000 + 1.0);
  const plain = (await sayre(['transcribe', '--stream', '--model', model, twoPath])).stdout;
  assert.equal(plain, `${finals.map((f) => f.text).join('\n')}\n`);
  await assert.rejects(sayre(['transcribe', '--stream', '--chunk-ms', '0', twoPath]), /--chunk-ms must be a number of milliseconds/);
});

test('transcribe --stream reads compressed audio: a FLAC made by ffmpeg gives the WAV\'s events exactly, an MP3 a final of its length', { skip: programMissing('ffmpeg') ?? false }, async () => {
  const hello = join(SAMPLES, 'hello.wav');
  const flac = join(dir, 'hello.flac');
  const mp3 = join(dir, 'hello.mp3');
  ffmpeg(hello, flac);
  ffmpeg(hello, mp3);
  const stream = async (file: string): Promise<StreamEvent[]> => events((await sayre(['transcribe', '--stream', '--model', model, '--json', file])).stdout);
  const fromWav = await stream(hello);
  assert.deepEqual(await stream(flac), fromWav);
  const fromMp3 = await stream(mp3);
  const last = fromMp3.at(-1)!;
  assert.equal(last.type, 'final');
  // the MP3 decoder's padding aside, the same length
  assert.ok(last.type === 'final' && Math.abs(last.end - 3.474) < 0.1, JSON.stringify(last));
});

test('sayre listen reads the microphone through arecord (here a stand-in that plays a file), or says what is missing', async () => {
  const bin = mkdtempSync(join(tmpdir(), 'sayre-fake-mic-'));
  // the file's own 16-bit samples, as raw PCM
  const saved = readWav(twoPath).samples;
  const pcm = Buffer.alloc(saved.length * 2);
  saved.forEach((x, i) => pcm.writeInt16LE(Math.round(x * 32768), 2 * i));
  writeFileSync(join(bin, 'mic.raw'), pcm);
  writeFileSync(join(bin, 'arecord'), `#!/bin/sh\nexec cat '${join(bin, 'mic.raw')}'\n`);
  chmodSync(join(bin, 'arecord'), 0o755);
  const fromFile = events((await sayre(['transcribe', '--stream', '--model', model, '--json', twoPath])).stdout).filter((e) => e.type === 'final');
  const fromMic = events((await sayre(['listen', '--model', model, '--json'], { ...process.env, PATH: `${bin}:${process.env['PATH']}` })).stdout).filter((e) => e.type === 'final');
  assert.deepEqual(fromMic.map((e) => e.text), fromFile.map((e) => e.text));
  const empty = mkdtempSync(join(tmpdir(), 'sayre-no-mic-'));
  await assert.rejects(sayre(['listen', '--model', model], { ...process.env, PATH: empty }), /needs a microphone recorder: neither arecord .* nor sox/);
});
