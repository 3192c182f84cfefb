import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AudioSegment, chooseCuts, EnergySegmenter, frameEnergiesDb, soundBounds } from '../../src/audio/vad.js';
import { rng } from '../helpers/compare.js';

const RATE = 1000;

/** Bursts of noise ("speech") of the given lengths (seconds) with silences between (seconds), at RATE. */
function bursts(pattern: { speech: number; pause: number }[], seed = 1): { x: Float32Array; speech: [number, number][] } {
  const next = rng(seed);
  const total = pattern.reduce((a, p) => a + p.speech + p.pause, 0);
  const x = new Float32Array(Math.round(total * RATE));
  const speech: [number, number][] = [];
  let at = 0;
  for (const p of pattern) {
    const n = Math.round(p.speech * RATE);
    for (let i = 0; i < n; i++) x[at + i] = (next() - 0.5) * 0.5;
    speech.push([at, at + n]);
    at += n;
    const m = Math.round(p.pause * RATE);
    for (let i = 0; i < m; i++) x[at + i] = (next() - 0.5) * 0.001; // a noise floor, not digital silence
    at += m;
  }
  return { x, speech };
}

function run(x: Float32Array, seg: EnergySegmenter, piece: number): AudioSegment[] {
  const out = [];
  for (let at = 0; at < x.length; at += piece) out.push(...seg.push(x.subarray(at, at + piece)));
  out.push(...seg.flush());
  return out;
}

test('frame energies: dB of the mean square per frame, -100 for silence, a partial last frame', () => {
  const db = frameEnergiesDb(Float32Array.of(0.5, -0.5, 0, 0, 1), 2);
  assert.equal(db.length, 3);
  assert.ok(Math.abs(db[0]! - 10 * Math.log10(0.25)) < 1e-4);
  assert.equal(db[1], -100);
  assert.ok(Math.abs(db[2]!) < 1e-4);
});

test('segments cover the stream exactly, in order, each at most maxSeconds, cut inside pauses only', () => {
  const pattern = Array.from({ length: 30 }, (_, k) => ({ speech: 0.4 + (k % 5) * 0.7, pause: k % 3 === 0 ? 0.2 : 0.6 + (k % 4) * 0.2 }));
  const { x, speech } = bursts(pattern);
  for (const piece of [37, 1000, 100000]) {
    const segs = run(x, new EnergySegmenter(RATE, { maxSeconds: 6, frameSeconds: 0.01 }), piece);
    let at = 0;
    for (const s of segs) {
      assert.equal(s.start, at, 'contiguous');
      assert.ok(s.samples.length <= 6 * RATE, `segment of ${s.samples.length} samples`);
      assert.deepEqual(s.samples, x.subarray(at, at + s.samples.length));
      at += s.samples.length;
      // No cut falls inside a burst of speech.
      if (at < x.length) assert.ok(!speech.some(([a, b]) => at > a && at < b), `cut at ${at} inside speech (piece ${piece})`);
    }
    assert.equal(at, x.length, 'the whole stream');
    // Every pause of 0.6 s or more is a cut: segments hold one burst each, except where pauses are short (0.2 s).
    const longPauses = pattern.slice(0, -1).filter((p) => p.pause >= 0.5).length;
    assert.ok(segs.length >= longPauses + 1, `${segs.length} segments for ${longPauses} long pauses`);
  }
});

test('speech with no pause at all is still cut at maxSeconds', () => {
  const { x } = bursts([{ speech: 25, pause: 0 }]);
  const segs = run(x, new EnergySegmenter(RATE, { maxSeconds: 10 }), 4096);
  assert.ok(segs.length >= 3);
  assert.ok(segs.every((s) => s.samples.length <= 10 * RATE));
  assert.equal(segs.reduce((a, s) => a + s.samples.length, 0), x.length);
});

test('chooseCuts: the middle of every long pause; without one, the longest pause after minFrame', () => {
  const loud = -20;
  const quiet = -70;
  const db = Float32Array.from({ length: 100 }, (_, f) => ((f >= 30 && f < 40) || (f >= 70 && f < 90) ? quiet : loud));
  assert.deepEqual(chooseCuts(db, 5, 0, true), [35, 80]);
  assert.deepEqual(chooseCuts(db, 15, 0, true), [80]);
  assert.deepEqual(chooseCuts(db, 50, 0, true), [80], 'no long pause: the longest');
  assert.deepEqual(chooseCuts(db, 50, 0, false), [], 'no long pause and no need to cut');
});

test('segments of silence report a low peak level, the one with speech a high one', () => {
  const { x, speech } = bursts([{ speech: 0, pause: 23 }, { speech: 1, pause: 0 }]);
  const segs = run(x, new EnergySegmenter(RATE, { maxSeconds: 10 }), 500);
  const [a] = speech[1]!;
  for (const s of segs) {
    const end = s.start + s.samples.length;
    if (end <= a) assert.ok(s.peakDb < -50, `silence at ${s.peakDb} dB`);
    else assert.ok(s.peakDb > -20, `speech at ${s.peakDb} dB`);
  }
  assert.ok(segs.length >= 3);
});

test('a stream no longer than maxSeconds stays one segment, pauses and all', () => {
  const { x } = bursts([{ speech: 1, pause: 2 }, { speech: 1, pause: 2 }, { speech: 1, pause: 0 }]);
  const segs = run(x, new EnergySegmenter(RATE, { maxSeconds: 8 }), 300);
  assert.equal(segs.length, 1);
  assert.deepEqual(segs[0]!.samples, x);
});

test('soundBounds: from the first to the last frame above the pause threshold, widened by the margin within the window', () => {
  const db = Float32Array.from({ length: 100 }, (_, f) => (f >= 30 && f < 60 ? -20 : -70));
  assert.deepEqual(soundBounds(db, 5), { first: 25, end: 65 });
  assert.deepEqual(soundBounds(db, 40), { first: 0, end: 100 });
  assert.equal(soundBounds(new Float32Array(50).fill(-100), 5), undefined, 'all pause');
});
