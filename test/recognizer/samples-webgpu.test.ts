/**
 * The bundled model's best-path transcripts (lm: false) on webgpu, through SwiftShader,
 * are those of wasm. SwiftShader takes minutes per clip, so `npm test` checks a 0.6 s crop
 * of samples/hello.wav; SAYRE_WEBGPU_FULL=1 checks every samples/*.wav whole.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { WasmBackend } from '../../src/backend/index.js';
import { readWav } from '../../src/audio/wav-read.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { SAMPLES } from '../helpers/tiny-model.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const full = process.env.SAYRE_WEBGPU_FULL === '1';
const clips = full
  ? readdirSync(SAMPLES).filter((f) => f.endsWith('.wav')).sort().map((f) => ({ name: f, seconds: Infinity }))
  : [{ name: 'hello.wav', seconds: 0.6 }];

describe('the bundled model on webgpu (SwiftShader) transcribes as on wasm', { skip }, () => {
  const wasm = Recognizer.load(undefined, { backend: WasmBackend.createSync({ threads: 1 }), lm: false });
  const onGpu = skip ? undefined : Recognizer.load(undefined, { backend: gpu!, lm: false });
  for (const { name, seconds } of clips) {
    it(`${name}${Number.isFinite(seconds) ? ` (its first ${seconds} s)` : ''}: the same best path, one read-back`, async () => {
      const wav = readWav(new URL(name, SAMPLES).pathname);
      const samples = wav.samples.subarray(0, Math.min(wav.samples.length, Math.round(seconds * wav.sampleRate)));
      const want = await wasm.transcribeAsync(samples, wav.sampleRate);
      assert.ok(want.text.length > 0, 'the clip says something');
      const reads = gpu!.readBacks;
      const got = await onGpu!.transcribeAsync(samples, wav.sampleRate);
      assert.equal(gpu!.readBacks - reads, 1);
      assert.equal(got.text, want.text);
      assert.deepEqual(got.tokens, want.tokens);
    });
  }
});
