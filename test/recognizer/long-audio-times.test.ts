/**
 * transcribeSegments keeps word and token times near the sound of each segment: cuts fall
 * in the middle of pauses, and a CTC model may place a spike anywhere in the pause before a
 * word; a time in the pause is moved to 0.2 s from the sound, on the file's clock.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AudioChunk } from '../../src/audio/audio-stream.js';
import { transcribeSegments } from '../../src/recognizer/long-audio.js';

const RATE = 1000;

test('in a cut stream, word and token times in a segment\'s pause move to within 0.2 s of its sound; times in the sound stay', async () => {
  // 1 s of a noise floor, 1 s of "speech", 1 s of floor, twice: cut in the middle pause
  const x = new Float32Array(6 * RATE);
  for (let i = 0; i < x.length; i++) x[i] = (i % (3 * RATE) >= RATE && i % (3 * RATE) < 2 * RATE ? 0.3 : 0.001) * (i % 2 ? 1 : -1);
  async function* chunks(): AsyncGenerator<AudioChunk> {
    yield { samples: x, sampleRate: RATE, channels: 1, format: 'wav', bytesRead: x.length * 2 };
  }
  const at = (start: number, end: number) => ({ start, end });
  const fake = () => ({
    text: 'a b c', confidence: 1,
    // times in the segment: the first segment runs from 0.5 s (the middle of the leading pause), its sound from 1 s to 2 s
    words: [{ word: 'a', ...at(0.1, 0.8) }, { word: 'b', ...at(0.9, 1.1) }, { word: 'c', ...at(1.4, 2.4) }],
    tokenTimings: [{ token: 'a', ...at(0.1, 0.13) }, { token: 'b', ...at(0.9, 0.93) }, { token: 'c', ...at(2.4, 2.43) }],
  });
  const segments = [];
  for await (const s of transcribeSegments(chunks(), fake, { maxSegmentSeconds: 5 })) segments.push(s);
  assert.equal(segments.length, 2, 'the leading half-pause is silent: not decoded');
  const [s] = segments;
  assert.deepEqual([s!.start, s!.end], [0.5, 3], 'the segment keeps its span (cut in the middle of the pauses)');
  assert.deepEqual(s!.words.map((w) => [w.start, w.end]), [[0.8, 1.3], [1.4, 1.6], [1.9, 2.2]]);
  assert.deepEqual(s!.tokenTimings.map((k) => [k.start, k.end]), [[0.8, 0.8], [1.4, 1.43], [2.2, 2.2]]);
  // a stream left whole (no longer than maxSegmentSeconds) keeps the times the model gave
  const whole = [];
  for await (const w of transcribeSegments(chunks(), fake, { maxSegmentSeconds: 10 })) whole.push(w);
  assert.equal(whole.length, 1);
  assert.deepEqual(whole[0]!.words.map((w) => [w.start, w.end]), [[0.1, 0.8], [0.9, 1.1], [1.4, 2.4]]);
});
