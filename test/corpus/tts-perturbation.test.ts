import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../../src/audio/wav-read.js';
import { FestivalSessions } from '../../src/corpus/tts/festival-sessions.js';
import { espeakPitchFor } from '../../src/corpus/tts/plan.js';
import type { PlannedAugmentation, PlannedUtterance, TtsSettings } from '../../src/corpus/tts/plan.js';
import { synthesise } from '../../src/corpus/tts/synthesise.js';
import { allVoices, detectVoices, selectVoices } from '../../src/corpus/tts/voices.js';
import type { Voice } from '../../src/corpus/tts/voices.js';
import { energyAbove, f0Values, quantile, spectralCentroid } from '../helpers/voice-measures.js';
import { haveCommand } from '../helpers/have-command.js';

const sox = haveCommand('sox', ['--version']);
const installed = sox ? allVoices(detectVoices()) : [];
const voice = (id: string): Voice | undefined => installed.find((v) => v.id === id);
const skipFor = (id: string): string | false => (!sox ? 'sox is not installed' : voice(id) ? false : `voice ${id} is not installed`);
const text = 'the quick brown fox jumps over the lazy dog and runs far away into the green forest';

interface Measured {
  seconds: number;
  /** Median F0. */
  f0: number;
  /** F0 spread: the 10-90% range over the median. */
  f0Spread: number;
  samples: Float32Array;
}

/** Synthesises `text` in `id` with `tts` and `augmentation` and measures the result. */
async function speakMeasured(id: string, tts: TtsSettings, augmentation?: PlannedAugmentation): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-perturb-'));
  const festival = new FestivalSessions();
  try {
    const u: PlannedUtterance = {
      id: 'u', split: 'train', index: 0, text, source: 'test', voice: selectVoices(installed, [id])[0]!, tts,
      ...(augmentation ? { augmentation } : {}), seed: 1, estimate: 5,
    };
    const seconds = await synthesise(u, join(dir, 'u.wav'), join(dir, 'tmp'), 16000, festival);
    const { samples } = readWav(join(dir, 'u.wav'));
    const f0s = f0Values(samples, 16000);
    const f0 = quantile(f0s, 0.5);
    return { seconds, f0, f0Spread: (quantile(f0s, 0.9) - quantile(f0s, 0.1)) / f0, samples };
  } finally {
    await festival.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual / expected - 1) <= tolerance, `${what}: ${actual.toFixed(3)} vs ${expected.toFixed(3)} (tolerance ${tolerance * 100}%)`);

test('perturbation (espeak-ng): tempo changes duration not pitch; a vocal-tract change moves formants, not F0 or duration', { skip: skipFor('espeak-ng:en-us+m3') }, async () => {
  const id = 'espeak-ng:en-us+m3';
  const base = await speakMeasured(id, { rate: 160, pitch: 50 });
  const slow = await speakMeasured(id, { rate: 160, pitch: 50 }, { tempo: 0.85 });
  near(slow.seconds / base.seconds, 1 / 0.85, 0.04, 'tempo 0.85: duration ratio');
  near(slow.f0, base.f0, 0.04, 'tempo 0.85: F0');
  for (const vtlp of [1.1, 0.9]) {
    const warped = await speakMeasured(id, { rate: 160, pitch: espeakPitchFor(50, 1 / vtlp) }, { vtlp });
    near(warped.seconds, base.seconds, 0.04, `vtlp ${vtlp}: duration`);
    near(warped.f0, base.f0, 0.07, `vtlp ${vtlp}: F0`);
    const ratio = spectralCentroid(warped.samples, 16000) / spectralCentroid(base.samples, 16000);
    assert.ok(vtlp > 1 ? ratio > 1.04 : ratio < 0.96, `vtlp ${vtlp}: spectral centroid ratio ${ratio.toFixed(3)}`);
  }
  // Channel: a 300-3000 Hz band through GSM keeps almost nothing above 3.4 kHz.
  const phone = await speakMeasured(id, { rate: 160, pitch: 50 }, { bandLow: 300, bandHigh: 3000, gsm: true });
  assert.ok(energyAbove(base.samples, 16000, 3400) > 0.02, 'espeak-ng speech has energy above 3.4 kHz');
  assert.ok(energyAbove(phone.samples, 16000, 3400) < 0.005, `band-limited GSM: ${energyAbove(phone.samples, 16000, 3400)} above 3.4 kHz`);
});

test('perturbation (flite awb, unit selection): F0 moved into the other sex\'s range with a shorter vocal tract', { skip: skipFor('flite:awb') }, async () => {
  const base = await speakMeasured('flite:awb', { stretch: 1 });
  const moved = await speakMeasured('flite:awb', { stretch: 1, f0: 1.7 / 1.15 }, { f0: 1.7, vtlp: 1.15 });
  near(moved.f0 / base.f0, 1.7, 0.1, 'F0 ratio');
  near(moved.seconds, base.seconds, 0.05, 'duration');
});

for (const id of ['festival:kal_diphone', 'rhvoice:clb', 'pico:en-US', 'espeak-ng:mb-us1']) {
  test(`perturbation (${id}): the engine scales F0 as asked`, { skip: skipFor(id) }, async () => {
    const tts = (f0: number): TtsSettings => (id.startsWith('espeak-ng') ? { rate: 160, pitch: espeakPitchFor(50, f0) } : { f0 });
    const base = await speakMeasured(id, tts(1));
    const low = await speakMeasured(id, tts(0.8));
    near(low.f0 / base.f0, 0.8, 0.06, 'F0 ratio');
  });
}

test('perturbation (festival): a wider F0 range leaves the mean and widens the spread', { skip: skipFor('festival:kal_diphone') }, async () => {
  const base = await speakMeasured('festival:kal_diphone', { stretch: 1 });
  const wide = await speakMeasured('festival:kal_diphone', { stretch: 1, f0Range: 2 });
  near(wide.f0, base.f0, 0.08, 'median F0');
  near(wide.seconds, base.seconds, 0.02, 'duration');
  assert.ok(wide.f0Spread > 1.3 * base.f0Spread, `F0 spread ${wide.f0Spread.toFixed(3)} vs ${base.f0Spread.toFixed(3)}`);
});
