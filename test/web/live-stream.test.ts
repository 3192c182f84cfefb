/**
 * The recogniser worker's side of live captions, in Node (MessageChannel is the browser's):
 * microphone messages in, the StreamSession's events out in order, 'live-ended' with the
 * audio kept, and an error ending the stream with 'live-failed' and a closed port.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readWav } from '../../src/audio/wav-read.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { type StreamEvent, StreamSession } from '../../src/recognizer/stream-session.js';
import { runLiveStream } from '../../src/web/live-stream.js';
import type { FromWorker, MicMessage } from '../../src/web/worker-protocol.js';
import { makeTinyModelDir, SAMPLES } from '../helpers/tiny-model.js';

const rec = Recognizer.load(makeTinyModelDir());
const clip = readWav(fileURLToPath(new URL('hello.wav', SAMPLES)));
/** The clip, a second of silence (an endpoint), the clip again. */
const audio = new Float32Array([...clip.samples, ...new Float32Array(clip.sampleRate), ...clip.samples]);
const CHUNK = 2205;

/** Runs a live stream over `messages`; resolves with what the worker posted, once it has ended. */
function run(messages: MicMessage[], keepAudio: boolean): Promise<FromWorker[]> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    const posted: FromWorker[] = [];
    runLiveStream(rec, port2, clip.sampleRate, keepAudio, (m) => {
      posted.push(m);
      if (m.type !== 'live') {
        port1.close();
        resolve(posted);
      }
    });
    for (const m of messages) port1.postMessage(m);
  });
}

const chunks = (): MicMessage[] => {
  const out: MicMessage[] = [];
  for (let at = 0; at < audio.length; at += CHUNK) out.push({ type: 'audio', samples: audio.slice(at, at + CHUNK) });
  return out;
};

test('live stream: the StreamSession\'s events for the same chunks, then live-ended with the audio received', async () => {
  const posted = await run([...chunks(), { type: 'end' }], true);
  const session = new StreamSession(rec);
  const expected: StreamEvent[] = [];
  for (let at = 0; at < audio.length; at += CHUNK) expected.push(...session.accept(audio.subarray(at, at + CHUNK), clip.sampleRate));
  expected.push(...session.end());
  assert.ok(expected.filter((e) => e.type === 'final').length >= 2, 'the pause ends an utterance');
  assert.deepEqual(posted.flatMap((m) => (m.type === 'live' ? m.events : [])), expected);
  const last = posted.at(-1)!;
  assert.equal(last.type, 'live-ended');
  assert.equal(last.type === 'live-ended' && last.sampleRate, clip.sampleRate);
  assert.deepEqual(last.type === 'live-ended' && last.audio, audio);
});

test('live stream: no audio kept unless asked', async () => {
  const last = (await run([{ type: 'audio', samples: audio.slice(0, CHUNK) }, { type: 'end' }], false)).at(-1)!;
  assert.deepEqual(last, { type: 'live-ended', sampleRate: clip.sampleRate });
});

test('live stream: a bad chunk ends the stream with live-failed saying what was wrong', async () => {
  const bad = audio.slice(0, CHUNK);
  bad[100] = Number.NaN;
  const posted = await run([{ type: 'audio', samples: bad }, { type: 'audio', samples: audio.slice(0, CHUNK) }], false);
  assert.equal(posted.length, 1);
  assert.equal(posted[0]!.type, 'live-failed');
  assert.match(posted[0]!.type === 'live-failed' ? posted[0]!.message : '', /sample 100 is not a finite number/);
});
