// The WebAssembly filterbank frames (assembly/fbank.ts, float32 FFT) against the TypeScript
// ones over fft.js (src/audio/fbank-js.ts, float64): FFT sizes of both radix-4 stage
// parities, frame counts around the kernel's groups of 4, batches of 32 and runs of 128,
// every option path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FbankExtractor } from '../../src/audio/fbank.js';
import type { FbankOptions } from '../../src/audio/fbank.js';
import { fbankWasmExports } from '../../src/audio/fbank-wasm.js';
import { addDeltas } from '../../src/audio/deltas.js';
import { assertClose, assertRelClose, rng } from '../helpers/compare.js';

/** A chirp with noise, int16-valued like real audio, scaled to [-1, 1). */
function speechLike(n: number, sampleRate: number, seed: number): Float32Array {
  const next = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const v = 0.3 * Math.sin(2 * Math.PI * (100 + 0.2 * sampleRate * t) * t) + 0.02 * (next() - 0.5);
    x[i] = Math.round(v * 32767) / 32768;
  }
  return x;
}

/**
 * Features from both kernels, compared: the WebAssembly FFT is float32 (as Kaldi's and
 * torchaudio's), so a log mel energy Δ nats below its frame's largest carries rounding of
 * about 5e-8 e^(Δ/2) (relative amplitude error 2^-24 sqrt(frame energy / band energy));
 * each value must agree within 1e-4 + 4e-7 e^(Δ/2). Delta columns, filtered from the static
 * ones (weights summing to at most 0.6 in absolute value), within twice the static error.
 */
function assertKernelsAgree(sampleRate: number, options: FbankOptions, x: Float32Array, what: string): void {
  const wasm = new FbankExtractor(sampleRate, options, 'wasm');
  const js = new FbankExtractor(sampleRate, options, 'js');
  assert.equal(wasm.kernel, 'wasm');
  assert.equal(js.kernel, 'js');
  const a = wasm.compute(x);
  const b = js.compute(x);
  assert.deepEqual([a.frames, a.dim], [b.frames, b.dim]);
  const sd = wasm.staticDim;
  let staticErr = 0;
  for (let t = 0; t < b.frames; t++) {
    const row = t * b.dim;
    let top = -Infinity;
    for (let d = 0; d < sd; d++) top = Math.max(top, b.data[row + d]!);
    for (let d = 0; d < sd; d++) {
      const err = Math.abs(a.data[row + d]! - b.data[row + d]!);
      const tol = 1e-4 + 4e-7 * Math.exp((top - b.data[row + d]!) / 2);
      assert.ok(err <= tol, `${what}: frame ${t} column ${d}: ${a.data[row + d]} vs ${b.data[row + d]} (tolerance ${tol})`);
      staticErr = Math.max(staticErr, err);
    }
  }
  for (let t = 0; t < b.frames; t++) {
    for (let d = sd; d < b.dim; d++) {
      const err = Math.abs(a.data[t * b.dim + d]! - b.data[t * b.dim + d]!);
      assert.ok(err <= 2 * staticErr + 1e-5, `${what}: frame ${t} delta column ${d}: ${err} > twice ${staticErr}`);
    }
  }
}

test('the WebAssembly kernel loads in Node', () => {
  assert.equal(new FbankExtractor(16000).kernel, 'wasm');
});

// FFT sizes 16 .. 2048: log2 N even (radix-4 stages only) and odd (a radix-2 stage last).
for (const [sampleRate, bins, fft] of [[640, 4, 16], [1280, 5, 32], [2560, 6, 64], [8000, 23, 256], [16000, 80, 512], [22050, 40, 1024], [44100, 64, 2048]] as const) {
  test(`wasm and js kernels agree: ${sampleRate} Hz, ${bins} bins (FFT ${fft})`, () => {
    const ex = new FbankExtractor(sampleRate, { numMelBins: bins, lowFreq: 0 });
    assert.equal(ex.paddedSize, fft);
    const x = speechLike(Math.round(sampleRate * 3.05), sampleRate, sampleRate); // 303 frames: 2 runs of 128 and a ragged one
    assertKernelsAgree(sampleRate, { numMelBins: bins, lowFreq: 0 }, x, `${sampleRate} Hz`);
  });
}

test('wasm and js kernels agree for every frame count 1 .. 40 (ragged groups and batches)', () => {
  const x = speechLike(16000, 16000, 3);
  for (let frames = 1; frames <= 40; frames++) {
    assertKernelsAgree(16000, { numMelBins: 40, useEnergy: true }, x.subarray(0, 400 + (frames - 1) * 160), `${frames} frames`);
  }
});

test('wasm and js kernels agree on every option path', () => {
  const x = speechLike(8000, 16000, 5);
  const cases: FbankOptions[] = [
    { numMelBins: 24, useEnergy: true, rawEnergy: true },
    { numMelBins: 24, useEnergy: true, rawEnergy: false, htkCompat: true, energyFloor: 0 },
    { numMelBins: 30, windowType: 'hamming', usePower: false, lowFreq: 100, highFreq: -400 },
    { numMelBins: 40, snipEdges: false, useEnergy: true },
    { numMelBins: 23, windowType: 'blackman', removeDcOffset: false, preemphasis: 0 },
    { numMelBins: 23, dither: 1, ditherSeed: 9, snipEdges: false },
    { numMelBins: 40, useEnergy: true, deltaOrder: 2 }, // (subtractMean: in the fixture tests, on both kernels)
  ];
  for (const options of cases) assertKernelsAgree(16000, options, x, JSON.stringify(options));
  // Linear filterbank energies are large: compare them relatively.
  for (const options of [{ numMelBins: 16, windowType: 'rectangular', useLogFbank: false, frameLengthMs: 20, frameShiftMs: 15 }, { numMelBins: 16, useLogFbank: false, usePower: false }] as FbankOptions[]) {
    const a = new FbankExtractor(16000, options, 'wasm').compute(x);
    const b = new FbankExtractor(16000, options, 'js').compute(x);
    assertRelClose(a.data, b.data, 1e-6, JSON.stringify(options));
  }
});

test('silence gives the log floor in both kernels', () => {
  const a = new FbankExtractor(16000, { numMelBins: 23 }, 'wasm').compute(new Float32Array(4000)).data;
  const b = new FbankExtractor(16000, { numMelBins: 23 }, 'js').compute(new Float32Array(4000)).data;
  const floor = Math.fround(Math.log(1.1920928955078125e-7));
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i]! - floor) < 1e-5 && Math.abs(b[i]! - floor) < 1e-5, `value ${i}: ${a[i]} / ${b[i]}`);
  }
});

test('the kernel\'s four-lane log is good to a few float32 ulps', () => {
  const ex = fbankWasmExports();
  assert.ok(ex);
  for (let e = -23; e <= 120; e += 0.37) {
    const x = Math.fround(2 ** e);
    const want = Math.log(x);
    const got = ex.logScalar32(x);
    assert.ok(Math.abs(got - want) <= 4e-7 * Math.max(1, Math.abs(want)), `log ${x}: ${got} vs ${want}`);
  }
});

test('deltas taken chunk by chunk with a halo equal addDeltas over the whole utterance', () => {
  // 128-frame chunks: lengths around one and two chunks, and ones shorter than the filters.
  const x = speechLike(16000 * 3, 16000, 11);
  for (const kernel of ['wasm', 'js'] as const) {
    for (const [order, window] of [[1, 2], [2, 2], [2, 1], [2, 3]] as const) {
      for (const frames of [1, 3, 5, 9, 13, 127, 128, 129, 130, 136, 255, 257, 290]) {
        const samples = x.subarray(0, 400 + (frames - 1) * 160);
        const base = { numMelBins: 23, useEnergy: true };
        const chunked = new FbankExtractor(16000, { ...base, deltaOrder: order, deltaWindow: window }, kernel).compute(samples);
        const whole = addDeltas(new FbankExtractor(16000, base, kernel).compute(samples), order, window);
        assert.deepEqual([chunked.frames, chunked.dim], [whole.frames, whole.dim]);
        assertClose(chunked.data, whole.data, 1e-5, `${kernel} order ${order} window ${window}, ${frames} frames`);
      }
    }
  }
});
