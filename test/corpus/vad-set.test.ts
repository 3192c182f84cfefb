import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAudio } from '../../src/audio/wav-read.js';
import { speechFrameLabels, wholeFrameEnergiesDb } from '../../src/corpus/vad/speech-labels.js';
import { NOISE_KINDS, vadNoise } from '../../src/corpus/vad/vad-noise.js';
import { activeSpeechPower, buildVadSet, DEFAULT_SNRS_DB } from '../../src/corpus/vad/vad-set.js';
import { Random } from '../../src/math/random.js';
import { SAMPLE_CLIPS } from '../helpers/speech-audio.js';

const RATE = 16000, FRAME = 160;
const clips = SAMPLE_CLIPS.map((c) => loadAudio(c.path, RATE));

function meanPower(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s / x.length;
}

function db(power: number): number {
  return 10 * Math.log10(power);
}

describe('speech labels', () => {
  it('mark the frames within 35 dB of the loudest as speech, and digital silence as not', () => {
    // 20 frames of a tone at full level, 10 at -30 dB, 10 at -40 dB, 10 of silence.
    const levels = [...Array(20).fill(0), ...Array(10).fill(-30), ...Array(10).fill(-40), ...Array(10).fill(-Infinity)];
    const x = new Float32Array(levels.length * FRAME);
    levels.forEach((l, f) => { for (let i = 0; i < FRAME; i++) x[f * FRAME + i] = 0.5 * 10 ** (l / 20) * Math.sin((2 * Math.PI * 440 * i) / RATE); });
    const labels = speechFrameLabels(x, FRAME);
    assert.deepEqual([...labels], levels.map((l) => (l >= -35 ? 1 : 0)));
    assert.deepEqual([...speechFrameLabels(new Float32Array(10 * FRAME), FRAME)], Array(10).fill(0));
  });
});

describe('VAD set', () => {
  const set = buildVadSet(clips, RATE, { seed: 5, examples: 25 });

  it('has every SNR with every noise, equally often', () => {
    const seen = new Map<string, number>();
    for (const e of set) seen.set(`${e.snrDb} ${e.noiseKind}`, (seen.get(`${e.snrDb} ${e.noiseKind}`) ?? 0) + 1);
    const noisy = DEFAULT_SNRS_DB.filter(Number.isFinite).length;
    assert.equal(seen.size, noisy * NOISE_KINDS.length + 1, [...seen.keys()].join(', '));
    for (const e of set) assert.equal(e.noiseKind === 'none', !Number.isFinite(e.snrDb));
  });

  it('mixes the noise at the SNR asked, measured on the built example, at a level in the range asked', () => {
    for (const e of set) {
      const speech = activeSpeechPower(e.speech, e.labels, FRAME);
      // the noise as it is in the mixture: the mixture less its speech
      const noise = Float32Array.from(e.samples, (v, i) => v - e.speech[i]!);
      if (!Number.isFinite(e.snrDb)) {
        assert.equal(meanPower(noise), 0, 'clean examples have no noise');
      } else {
        const measured = db(speech / meanPower(noise));
        assert.ok(Math.abs(measured - e.snrDb) < 0.01, `${e.noiseKind} at ${e.snrDb} dB measured ${measured.toFixed(3)} dB`);
      }
      assert.ok(Math.abs(db(speech) - e.levelDb) < 0.01, `level ${db(speech)} vs ${e.levelDb}`);
      assert.ok(e.levelDb <= -16 + 1e-9 && e.levelDb > -60, `level ${e.levelDb} dBFS`);
      assert.ok(e.samples.every((v) => Math.abs(v) <= 0.99 + 1e-6), 'no clipping');
    }
  });

  it('labels each frame from the clean speech: one utterance is labelled by the rule, pauses are non-speech and 0.2 to 2 s long', () => {
    for (const e of buildVadSet(clips, RATE, { seed: 9, examples: 8, utterances: [1, 1] })) {
      assert.equal(e.labels.length, e.samples.length / FRAME);
      assert.deepEqual(e.labels, speechFrameLabels(e.speech, FRAME));
    }
    for (const e of set) {
      const energy = wholeFrameEnergiesDb(e.speech, FRAME);
      // digital silence between and around the utterances: the pauses
      const silent = Array.from(energy, (x) => x <= -100);
      silent.forEach((s, f) => { if (s) assert.equal(e.labels[f], 0, `frame ${f} is silent but labelled speech`); });
      const lead = silent.indexOf(false);
      assert.ok(lead >= 20 && lead <= 200 + 40, `lead-in of ${lead} frames`);
      assert.ok(e.labels.includes(1));
    }
  });

  it('is the same from the same seed and differs from another', () => {
    const again = buildVadSet(clips, RATE, { seed: 5, examples: 3 });
    for (let i = 0; i < 3; i++) assert.deepEqual(again[i]!.samples, set[i]!.samples);
    assert.notDeepEqual(buildVadSet(clips, RATE, { seed: 6, examples: 1 })[0]!.samples, set[0]!.samples);
  });

  it('colours its noises: brown is smoother than pink, pink than white; hum sits on 50 or 60 Hz', () => {
    const lag1 = (x: Float32Array): number => {
      let s = 0;
      for (let i = 1; i < x.length; i++) s += x[i]! * x[i - 1]!;
      return s / (x.length - 1) / meanPower(x);
    };
    const [white, pink, brown] = (['white', 'pink', 'brown'] as const).map((k) => lag1(vadNoise(k, RATE, RATE, new Random(1))));
    assert.ok(Math.abs(white!) < 0.05 && pink! > white! + 0.2 && brown! > pink!, `lag-1 correlations ${white} ${pink} ${brown}`);
    const hum = vadNoise('hum', RATE, RATE, new Random(2));
    // correlation with itself a mains period later: near 1 for one of the two mains frequencies
    const period = (hz: number): number => {
      const p = Math.round(RATE / hz);
      let s = 0;
      for (let i = p; i < hum.length; i++) s += hum[i]! * hum[i - p]!;
      return s / (hum.length - p) / meanPower(hum);
    };
    assert.ok(Math.max(period(50), period(60)) > 0.9, `hum ${period(50)} ${period(60)}`);
    assert.ok(Math.abs(meanPower(vadNoise('babble', RATE, RATE, new Random(3), clips)) - 1) < 1e-3, 'unit power');
  });
});
