import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slidingCmvn, SlidingCmvnStream } from '../../src/audio/sliding-cmvn.js';
import { computeFeatures, resolveFrontEnd, silentFrame } from '../../src/audio/front-end.js';
import { FrontEndStream } from '../../src/audio/front-end-stream.js';
import { fbank } from '../../src/audio/fbank.js';
import { Random } from '../../src/math/random.js';
import type { Features } from '../../src/util/features.js';

const DIM = 4;
const SILENCE = Float32Array.from({ length: DIM }, (_, d) => -15.9 + d * 0.01);

/** Random frames with runs of the silent frame at the start, in the middle (longer than the window) and at the end. */
function framesWithSilence(): { f: Features; silent: boolean[] } {
  const runs: [number, boolean][] = [[13, true], [40, false], [70, true], [25, false], [9, true], [30, false]];
  const frames = runs.reduce((n, [k]) => n + k, 0);
  const data = new Float32Array(frames * DIM);
  new Random(3).fillNormal(data, 1, 3);
  const silent: boolean[] = [];
  let t = 0;
  for (const [k, quiet] of runs) {
    for (let i = 0; i < k; i++, t++) {
      silent.push(quiet);
      if (quiet) data.set(SILENCE, t * DIM);
    }
  }
  return { f: { data, frames, dim: DIM }, silent };
}

/** Slow reference: each frame normalised by the last `window` frames of sound up to it, computed afresh; zeros before any sound. */
function reference(f: Features, silent: boolean[], window: number, floor: number): Float32Array {
  const out = new Float32Array(f.data.length);
  for (let t = 0; t < f.frames; t++) {
    const sound: number[] = [];
    for (let s = t; s >= 0 && sound.length < window; s--) if (!silent[s]) sound.push(s);
    if (sound.length === 0) continue;
    for (let d = 0; d < f.dim; d++) {
      const xs = sound.map((s) => f.data[s * f.dim + d]!);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
      out[t * f.dim + d] = (f.data[t * f.dim + d]! - m) / Math.sqrt(Math.max(v, floor));
    }
  }
  return out;
}

test('sliding CMVN with skipSilence: digital silence stays out of the window (slow reference), whole or in chunks', () => {
  const { f, silent } = framesWithSilence();
  for (const window of [1, 20, 50]) {
    const o = { window, normVars: true, skipSilence: true };
    const got = slidingCmvn(f, o, SILENCE).data;
    const want = reference(f, silent, window, 1e-2);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-4, `window ${window}: ${got[i]} vs ${want[i]} at ${i}`);
    // A stream fed in uneven chunks gives the same frames bit for bit.
    const s = new SlidingCmvnStream(DIM, o, SILENCE);
    const parts: Float32Array[] = [];
    for (let t = 0, k = 1; t < f.frames; t += k, k = (k * 7) % 11 + 1) {
      const n = Math.min(k, f.frames - t);
      parts.push(s.accept({ data: f.data.subarray(t * DIM, (t + n) * DIM), frames: n, dim: DIM }).data);
    }
    assert.deepEqual(Float32Array.from(parts.flatMap((p) => [...p])), got);
  }
  // Without skipSilence the silent frames count, and the frames of sound after them differ.
  assert.notDeepEqual(slidingCmvn(f, { window: 20, normVars: true }).data, slidingCmvn(f, { window: 20, normVars: true, skipSilence: true }, SILENCE).data);
  assert.throws(() => slidingCmvn(f, { window: 20, skipSilence: true }), /skipSilence needs the filterbank's frame of silence/);
  assert.throws(() => resolveFrontEnd({ slidingCmvn: { window: 20, skipSilence: 'yes' } }), /skipSilence must be true or false/);
});

test('front end with skipSilence: speech after 1.5 s of zeros has the features it has without them, offline and streamed', () => {
  const fe = resolveFrontEnd({ sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 100, normVars: true, skipSilence: true } });
  assert.deepEqual(silentFrame(fe), fbank(new Float32Array(1600), 16000, { numMelBins: 23 }).data.subarray(0, 23));
  // A voice-like signal that starts, as recordings do, with a little digital silence of its own.
  const speech = Float32Array.from({ length: 16000 }, (_, i) => (i < 400 ? 0 : 0.3 * Math.sin(i * 0.05) * Math.sin(i * 0.0011) + 0.02 * Math.sin(i * 1.7)));
  const padded = new Float32Array(24000 + speech.length);
  padded.set(speech, 24000); // 1.5 s: 150 frames of 10 ms
  const a = computeFeatures(speech, 16000, fe), b = computeFeatures(padded, 16000, fe);
  assert.equal(b.frames, a.frames + 150);
  assert.deepEqual(b.data.subarray(150 * 23), a.data, 'the speech frames are as without the zeros');
  assert.ok(b.data.subarray(0, 150 * 23).every((v) => v === 0), 'silence before any sound comes out as zeros');
  // Without skipSilence the zeros fill the window and the speech after them is normalised against the floor.
  const plain = resolveFrontEnd({ sampleRate: 16000, fbank: { numMelBins: 23 }, slidingCmvn: { window: 100, normVars: true } });
  const c = computeFeatures(padded, 16000, plain), d = computeFeatures(speech, 16000, plain);
  const gap = Math.max(...c.data.subarray(155 * 23, 156 * 23).map((v, i) => Math.abs(v - d.data[5 * 23 + i]!)));
  assert.ok(gap > 1, `without skipSilence the zeros shift the speech frames (${gap})`);
  // Streamed in 100 ms chunks: the same frames bit for bit.
  const stream = new FrontEndStream(fe);
  const parts: Float32Array[] = [];
  for (let i = 0; i < padded.length; i += 1600) parts.push(stream.accept(padded.subarray(i, i + 1600), 16000).data);
  parts.push(stream.finish().data);
  assert.deepEqual(Float32Array.from(parts.flatMap((p) => [...p])), b.data);
});
