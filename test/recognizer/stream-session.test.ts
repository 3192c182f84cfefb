import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWav } from '../../src/audio/wav-read.js';
import { JsBackend } from '../../src/backend/index.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { decodeSessions, type StreamEvent, StreamSession } from '../../src/recognizer/stream-session.js';
import { SAMPLES } from '../helpers/tiny-model.js';
import { LATENCY_CONTROLLED, makeTinyStreamingCtcDir } from '../helpers/tiny-streaming-model.js';

// The JavaScript backend's products do not depend on how many rows they get: batched equals alone, exactly.
const rec = Recognizer.load(makeTinyStreamingCtcDir(), { backend: new JsBackend() });
const lcRec = Recognizer.load(makeTinyStreamingCtcDir('lc-ctc', LATENCY_CONTROLLED), { backend: new JsBackend() });
const clips = ['hello.wav', 'weather.wav', 'fox.wav'].map((f) => readWav(new URL(f, SAMPLES).pathname));

for (const [kind, model] of [['unidirectional', rec], ['latency-controlled', lcRec]] as const) test(`sessions pushed audio in odd pieces and decoded together by decodeSessions give the events each gives alone with accept() (${kind} model)`, () => {
  const alone = clips.map((c) => {
    const s = new StreamSession(model);
    const step = Math.round(c.sampleRate / 10);
    const out: StreamEvent[] = [];
    for (let at = 0; at < c.samples.length; at += step) out.push(...s.accept(c.samples.subarray(at, at + step), c.sampleRate));
    return [...out, ...s.end()];
  });
  const sessions = clips.map(() => new StreamSession(model));
  const got: StreamEvent[][] = clips.map(() => []);
  const pieces = [333, 1201, 77, 4000];
  const fedAt = clips.map(() => 0);
  for (let round = 0; fedAt.some((at, i) => at < clips[i]!.samples.length); round++) {
    clips.forEach((c, i) => {
      const n = pieces[(round + i) % pieces.length]!;
      if (fedAt[i]! < c.samples.length) sessions[i]!.push(c.samples.subarray(fedAt[i]!, fedAt[i]! + n), c.sampleRate);
      fedAt[i]! += n;
    });
    // Only whole 100 ms steps are fed; sessions without one wait.
    while (sessions.some((s) => s.ready)) decodeSessions(sessions).forEach((ev, i) => got[i]!.push(...ev));
  }
  sessions.forEach((s, i) => got[i]!.push(...s.end()));
  assert.deepEqual(got.map((ev) => ev.filter((e) => e.type === 'final')), alone.map((ev) => ev.filter((e) => e.type === 'final')));
  assert.deepEqual(got, alone);
  assert.ok(alone.every((ev) => ev.at(-1)?.type === 'final' && ev.at(-1)!.text !== ''));
});

test('a latency-controlled model\'s session: the final of a clip is its offline transcript, words and times included', () => {
  for (const c of clips) {
    const s = new StreamSession(lcRec), step = Math.round(c.sampleRate / 10), ev: StreamEvent[] = [];
    for (let at = 0; at < c.samples.length; at += step) ev.push(...s.accept(c.samples.subarray(at, at + step), c.sampleRate));
    ev.push(...s.end());
    const finals = ev.flatMap((e) => (e.type === 'final' ? [e] : []));
    const offline = lcRec.transcribe(c.samples, c.sampleRate);
    assert.equal(finals.length, 1);
    assert.equal(finals[0]!.text, offline.text);
    assert.deepEqual(finals[0]!.words.map((w) => [w.word, w.start, w.end]), offline.words.map((w) => [w.word, w.start, w.end]));
  }
});

test('end(reason) gives a final with the reason after half a step of audio; sessions of two recognisers are refused together', () => {
  const s = new StreamSession(rec);
  s.push(new Float32Array(800), 16000);
  assert.equal(s.ready, false, 'half a step');
  const last = s.end('cut').at(-1);
  assert.ok(last?.type === 'final');
  assert.deepEqual([last.start, last.end, last.reason], [0, 0.05, 'cut']);
  const other = Recognizer.load(makeTinyStreamingCtcDir(), { backend: new JsBackend() });
  assert.throws(() => decodeSessions([new StreamSession(rec), new StreamSession(other)]), /different recognisers/);
});
