import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CmvnAccumulator } from '../../src/audio/cmvn.js';
import { FbankStream } from '../../src/audio/fbank-stream.js';
import { computeFeatures, type FrontEndConfig } from '../../src/audio/front-end.js';
import { FrontEndStream } from '../../src/audio/front-end-stream.js';
import { resample } from '../../src/audio/resample.js';
import { ResampleStream } from '../../src/audio/resample-stream.js';
import { Random } from '../../src/math/random.js';

/** A second of a chirp with noise: every frame different. */
function signal(rate: number, seconds = 0.73): Float32Array {
  const rng = new Random(7);
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => {
    const t = i / rate;
    return 0.3 * Math.sin(2 * Math.PI * (200 + 900 * t) * t) + 0.02 * rng.normal();
  });
}

/** `x` cut into chunks of the given sizes, cycled. */
function chunks(x: Float32Array, sizes: number[]): Float32Array[] {
  const out: Float32Array[] = [];
  for (let at = 0, i = 0; at < x.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(x.subarray(at, at + n));
    at += n;
  }
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const SIZES = [[1], [7], [160], [161, 13], [399, 1, 401], [1600], [100000]];

describe('FbankStream', () => {
  it('gives the offline frames bit for bit for any chunk sizes', () => {
    const x = signal(16000);
    const offline = new FbankStream(16000, { numMelBins: 40 }).accept(x);
    for (const sizes of SIZES) {
      const s = new FbankStream(16000, { numMelBins: 40 });
      const got = concat(chunks(x, sizes).map((c) => s.accept(c).data));
      assert.equal(s.frames, offline.frames, `chunks ${sizes}`);
      assert.deepEqual(got, offline.data, `chunks ${sizes}`);
    }
  });

  it('refuses options that need the future', () => {
    assert.throws(() => new FbankStream(16000, { deltaOrder: 1 }), /deltas/);
    assert.throws(() => new FbankStream(16000, { snipEdges: false }), /snipEdges/);
  });
});

describe('ResampleStream', () => {
  for (const [from, to] of [[44100, 16000], [8000, 16000], [48000, 16000], [22050.5, 16000]] as const) {
    it(`${from} -> ${to} Hz equals resample() on the whole signal, bit for bit`, () => {
      const x = signal(from, 0.2);
      const offline = resample(x, from, to);
      for (const sizes of [[1], [37], [441, 3], [100000]]) {
        const s = new ResampleStream(from, to);
        const got = concat([...chunks(x, sizes).map((c) => s.accept(c)), s.finish()]);
        assert.deepEqual(got, offline, `chunks ${sizes}`);
      }
    });
  }
});

describe('FrontEndStream', () => {
  const config: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 23 } };
  const acc = new CmvnAccumulator(23);
  acc.accumulate(computeFeatures(signal(16000), 16000, config));
  const cmvn = acc.finalise();

  for (const rate of [16000, 44100]) {
    it(`features with global CMVN from ${rate} Hz audio equal computeFeatures' for any chunk sizes`, () => {
      const x = signal(rate);
      const offline = computeFeatures(x, rate, config, cmvn);
      for (const sizes of SIZES) {
        const s = new FrontEndStream(config, cmvn);
        const got = concat([...chunks(x, sizes).map((c) => s.accept(c, rate).data), s.finish().data]);
        assert.deepEqual(got, offline.data, `chunks ${sizes}`);
        assert.equal(s.frames, offline.frames);
      }
    });
  }

  it('with sliding-window CMVN (a window shorter than the audio), equals computeFeatures\' for any chunk sizes, and again after reset', () => {
    const sliding: FrontEndConfig = { ...config, slidingCmvn: { window: 17, normVars: true } };
    const x = signal(16000);
    const offline = computeFeatures(x, 16000, sliding, cmvn);
    assert.ok(offline.frames > 17 * 3);
    const s = new FrontEndStream(sliding, cmvn);
    for (const sizes of SIZES) {
      s.reset();
      const got = concat([...chunks(x, sizes).map((c) => s.accept(c, 16000).data), s.finish().data]);
      assert.deepEqual(got, offline.data, `chunks ${sizes}`);
    }
  });

  it('refuses a front end that needs the whole utterance', () => {
    assert.throws(() => new FrontEndStream({ ...config, utteranceCmvn: { normVars: true } }), /front end stream: this front end cannot be streamed: utteranceCmvn needs the whole utterance/);
    assert.throws(() => new FrontEndStream({ ...config, fbank: { deltaOrder: 1 } }), /cannot be streamed: deltas/);
  });

  it('says what is wrong with a changed rate, a non-finite sample, or samples after the end', () => {
    const s = new FrontEndStream(config);
    s.accept(new Float32Array(10), 16000);
    assert.throws(() => s.accept(new Float32Array(10), 8000), /sample rate changed from 16000 to 8000/);
    assert.throws(() => s.accept(Float32Array.of(0, NaN), 16000), /sample 11 is not a finite number/);
    s.finish();
    assert.throws(() => s.accept(new Float32Array(1), 16000), /after the input was finished/);
    s.reset();
    const x = signal(8000, 0.05);
    assert.deepEqual(s.accept(x, 8000), new FrontEndStream(config).accept(x, 8000), 'after reset, as a fresh stream');
  });
});
