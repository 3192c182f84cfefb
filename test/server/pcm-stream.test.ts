import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../src/server/http-error.js';
import { PcmStream } from '../../src/server/pcm-stream.js';

test('PCM arriving in pieces of any size (odd ones too) reads as the whole', () => {
  const values = Int16Array.from({ length: 1001 }, (_, i) => ((i * 7919) % 65536) - 32768);
  const bytes = new Uint8Array(values.buffer);
  for (const piece of [1, 3, 7, 64, 2002]) {
    const s = new PcmStream(16000, 10);
    for (let at = 0; at < bytes.length; at += piece) s.push(bytes.subarray(at, at + piece));
    assert.deepEqual(s.samples(), Float32Array.from(values, (v) => v / 32768), `pieces of ${piece}`);
    assert.equal(s.seconds, 1001 / 16000);
  }
});

test('a stream longer than allowed is refused with 413', () => {
  const s = new PcmStream(1000, 1);
  s.push(new Uint8Array(2000));
  assert.throws(() => s.push(new Uint8Array(2)), (e: unknown) => e instanceof HttpError && e.status === 413 && /longer than the 1 s allowed/.test(e.message));
});
