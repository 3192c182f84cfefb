import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundledVadWeights } from '../../src/audio/bundled-vad.js';
import { FrameVad } from '../../src/audio/frame-vad.js';
import { ModelVad } from '../../src/audio/model-vad.js';
import { NoiseFloor } from '../../src/audio/noise-floor.js';
import { resample } from '../../src/audio/resample.js';
import { createVad, DEFAULT_VAD_KIND, vadDecisions } from '../../src/audio/voice-activity.js';
import { loadAudio } from '../../src/audio/wav-read.js';
import { buildVadSet } from '../../src/corpus/vad/vad-set.js';
import { SAMPLE_CLIPS } from '../helpers/speech-audio.js';

const RATE = 16000;
const clips = SAMPLE_CLIPS.map((c) => loadAudio(c.path, RATE));

/** Probabilities of a fresh ModelVad over `x` fed in chunks of `chunk` samples. */
function probabilities(x: Float32Array, chunk: number, rate = RATE): Float32Array {
  const vad = new ModelVad(rate);
  const parts: Float32Array[] = [];
  for (let at = 0; at < x.length; at += chunk) parts.push(vad.probabilities(x.subarray(at, at + chunk)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

describe('NoiseFloor', () => {
  it('is the minimum of the last few seconds: a louder background takes over once the quiet one has left the window', () => {
    const floor = new NoiseFloor(1, 300);
    const out = new Float64Array(1);
    const floors: number[] = [];
    for (let f = 0; f < 800; f++) {
      floor.update([f < 400 ? -60 : -30], out);
      floors.push(out[0]!);
    }
    assert.equal(floors[399], -60);
    assert.equal(floors[400 + 250], -60, 'the quiet frames are still in the window');
    assert.ok(Math.abs(floors[799]! + 30) < 1e-9, `3+ s later the floor is the new level, got ${floors[799]}`);
    // a single quiet frame is smoothed: it does not drag the floor down to itself
    floor.update([-90], out);
    assert.ok(out[0]! > -61, `floor ${out[0]}`);
  });
});

describe('ModelVad', () => {
  const [noisy] = buildVadSet(clips, RATE, { seed: 3, examples: 1, snrsDb: [10], noises: ['pink'] });
  const x = noisy!.samples;

  it('loads the bundled weights and is the streams\' default, one decision per 10 ms', () => {
    const w = bundledVadWeights();
    assert.ok(w.threshold > 0 && w.threshold < 1);
    assert.equal(DEFAULT_VAD_KIND, 'model');
    const vad = createVad(RATE);
    assert.ok(vad instanceof ModelVad);
    assert.equal(vad.frameSeconds, 0.01);
    assert.equal(vad.accept(new Float32Array(RATE)).length, 100);
    assert.ok(createVad(RATE, { kind: 'energy' }) instanceof FrameVad);
  });

  it('is causal: appending audio never changes a past decision', () => {
    const past = probabilities(x, 1600);
    const more = new Float32Array(x.length + clips[0]!.length);
    more.set(x);
    more.set(clips[0]!, x.length); // loud speech right after the end
    const longer = probabilities(more, 1600);
    assert.deepEqual(longer.subarray(0, past.length), past);
  });

  it('decides the same whatever the chunk sizes', () => {
    const ref = probabilities(x, 1600);
    for (const chunk of [1, 7, 160, 161, 4001]) assert.deepEqual(probabilities(x, chunk), ref, `chunks of ${chunk}`);
  });

  it('decides 48 kHz audio as it does 16 kHz audio (mostly), and refuses audio with no 4 kHz band', () => {
    const at16 = vadDecisions(new ModelVad(RATE), x);
    const at48 = vadDecisions(new ModelVad(48000), resample(x, RATE, 48000), 4800);
    const n = Math.min(at16.length, at48.length);
    const agree = at16.slice(0, n).filter((d, f) => d === at48[f]).length / n;
    assert.ok(agree > 0.95, `agree on ${(100 * agree).toFixed(1)}% of frames`);
    assert.throws(() => new ModelVad(6000), /no 4000 Hz band/);
  });

  it('beats the energy VAD on noisy speech by a clear margin', () => {
    // The sample clips at 5 and 0 dB under each noise: frames that one VAD gets right and the
    // other wrong, both ways. The trained VAD's excess must be over three standard errors
    // of that paired count (McNemar), a margin this example itself measures.
    const set = buildVadSet(clips, RATE, { seed: 11, examples: 10, snrsDb: [5, 0] });
    let onlyModel = 0, onlyEnergy = 0;
    for (const e of set) {
      const m = vadDecisions(new ModelVad(RATE), e.samples);
      const g = vadDecisions(new FrameVad(RATE), e.samples);
      e.labels.forEach((l, f) => {
        const mRight = m[f] === (l === 1), gRight = g[f] === (l === 1);
        if (mRight && !gRight) onlyModel++;
        if (gRight && !mRight) onlyEnergy++;
      });
    }
    const z = (onlyModel - onlyEnergy) / Math.sqrt(onlyModel + onlyEnergy);
    assert.ok(z > 3, `right only by the trained VAD ${onlyModel} frames, only by the energy VAD ${onlyEnergy}: z = ${z.toFixed(1)}`);
  });

  it('refuses options of the other kind', () => {
    assert.throws(() => createVad(RATE, { marginDb: 10 } as never), /marginDb is an option of the energy VAD, but kind is "model"/);
    assert.throws(() => createVad(RATE, { kind: 'energy', threshold: 0.3 } as never), /threshold is an option of the model VAD/);
    assert.throws(() => createVad(RATE, { kind: 'neural' } as never), /unknown kind "neural"/);
    assert.throws(() => new ModelVad(RATE, { threshold: 1 }), /threshold must be in \(0, 1\)/);
  });
});
