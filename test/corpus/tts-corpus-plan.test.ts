import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReservedText, readFortuneSentences, rejectReason, splitSentences } from '../../src/corpus/fortune-sentences.js';
import type { FortuneSentence } from '../../src/corpus/fortune-sentences.js';
import { planCorpus } from '../../src/corpus/tts/plan.js';
import { allVoices, assertNotReserved, selectVoices } from '../../src/corpus/tts/voices.js';
import { soxEffects } from '../../src/corpus/tts/perturbation.js';
import { activePower, addNoise } from '../../src/corpus/tts/add-noise.js';

const installed = {
  espeakAccents: ['en-gb', 'en-us'],
  espeakVariants: Array.from({ length: 20 }, (_, i) => `v${i}`),
  flite: ['kal16', 'awb'],
  festival: ['kal_diphone', 'ked_diphone'],
};
const voices = allVoices(installed);
const sentences: FortuneSentence[] = Array.from({ length: 200 }, (_, i) => ({ text: `sentence number ${i} is here`, original: '', source: 'test' }));

test('fortune sentences: reserved texts are never read, sentences are cleaned and deduplicated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-fortune-'));
  try {
    writeFileSync(join(dir, 'bible-kjv'), 'In the beginning was a reserved sentence here.\n%\n');
    writeFileSync(join(dir, 'dict-devil'), 'Another reserved sentence is here.\n%\n');
    writeFileSync(join(dir, 'ok.dat'), 'binary index');
    writeFileSync(join(dir, 'ok'), [
      'The cat sat on the mat. The cat sat on the mat! Short one.',
      '%',
      'Mr. Smith went to Washington today. He saw the IBM building there.',
      '%',
      'I paid 42 dollars for 3 books. They were worth it.',
      '\t\t-- Somebody Famous',
      '%',
      'x = y + z; return x; is code not prose.',
      '%',
      'A very long sentence with far too many words in it to be a good training utterance for this corpus builder here.',
      '%',
    ].join('\n'));
    const got = readFortuneSentences({ dirs: [dir] });
    assert.deepEqual(got.map((s) => s.text), [
      'the cat sat on the mat', 'i paid forty two dollars for three books', 'they were worth it',
    ]);
    assert.ok(got.every((s) => s.source === 'ok'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(isReservedText('/usr/share/games/fortunes/bible-kjv.u8'));
  assert.ok(isReservedText('dict-devil'));
  assert.ok(!isReservedText('fortunes'));
  assert.deepEqual(splitSentences('One two. "Three four!" Five? six'), ['One two.', '"Three four!"', 'Five? six']);
  assert.match(rejectReason('See the TV now') ?? '', /acronym/);
  assert.match(rejectReason('Henry VIII was king') ?? '', /roman numeral/);
  assert.match(rejectReason('Psst over here') ?? '', /vowel/);
  assert.match(rejectReason('Plan B is fine') ?? '', /single letter/);
  assert.match(rejectReason('Visit www.example.com today') ?? '', /dotted token/);
  assert.match(rejectReason('The c90 modem') ?? '', /mixed/);
  assert.equal(rejectReason("It's a fine day, isn't it?"), undefined);
  const real = readFortuneSentences();
  assert.ok(real.length > 5000, `only ${real.length} sentences from the Debian fortune files`);
  for (const s of real) {
    const n = s.text.split(' ').length;
    assert.ok(n >= 3 && n <= 20 && /^[a-z' ]+$/.test(s.text), s.text);
  }
});

test('reserved voices are refused everywhere', () => {
  for (const id of ['flite:rms', 'flite:slt', 'festival:cmu_us_slt_arctic_hts']) {
    assert.throws(() => assertNotReserved(id), /reserved/);
    assert.throws(() => selectVoices(voices, [id]), /reserved/);
  }
  const withReserved = allVoices({ ...installed, flite: ['kal16', 'rms', 'slt'], festival: ['cmu_us_slt_arctic_hts'] });
  assert.ok(!withReserved.some((v) => /rms|slt/.test(v.id)));
  assert.deepEqual(selectVoices(voices, ['flite:kal16', 'espeak-ng:en-gb+v3']).map((v) => v.id), ['espeak-ng:en-gb+v3', 'flite:kal16']);
  assert.equal(selectVoices(voices, ['espeak-ng:+v3']).length, 2);
  assert.equal(selectVoices(voices, ['espeak-ng:en-us']).length, 20);
  assert.throws(() => selectVoices(voices, ['flite:nobody']), /matches no installed voice/);
});

test('the plan: disjoint sentence splits, held-out variants only in test, deterministic and prefix-stable', () => {
  const plan = planCorpus(sentences, voices, { hours: 1, seed: 5 });
  assert.deepEqual(plan.sentences, { train: 180, dev: 10, test: 10, 'dev-speakers': 10, 'test-speakers': 10 });
  // None of the held-out speakers is among these voices: the held-out-speakers splits stay empty.
  assert.deepEqual(plan.heldOutSpeakers, { dev: [], test: [] });
  assert.ok(plan.utterances.every((u) => u.split === 'train' || u.split === 'dev' || u.split === 'test'));
  const textsBy = (split: string): Set<string> => new Set(plan.utterances.filter((u) => u.split === split).map((u) => u.text));
  const [train, dev, test] = [textsBy('train'), textsBy('dev'), textsBy('test')];
  for (const t of test) assert.ok(!train.has(t) && !dev.has(t));
  for (const t of dev) assert.ok(!train.has(t));
  assert.equal(plan.heldOutVariants.length, 2);
  const held = new Set(plan.heldOutVariants);
  for (const u of plan.utterances) {
    if (u.split !== 'test') assert.ok(!held.has(u.voice.variant ?? ''), `${u.id} uses held-out ${u.voice.id}`);
  }
  assert.ok(plan.utterances.some((u) => u.split === 'test' && held.has(u.voice.variant ?? '')));
  const engines = new Set(plan.utterances.map((u) => u.voice.engine));
  assert.deepEqual([...engines].sort(), ['espeak-ng', 'festival', 'flite']);
  const share = (f: (u: typeof plan.utterances[number]) => boolean): number => plan.utterances.filter(f).length / plan.utterances.length;
  const channel = share((u) => ['noiseSnrDb', 'reverb', 'bandLow', 'gsm'].some((k) => u.augmentation?.[k as 'gsm'] !== undefined));
  assert.ok(channel > 0.2 && channel < 0.4, `channel effects share ${channel}`);
  const perturbed = share((u) => u.augmentation?.vtlp !== undefined);
  assert.ok(perturbed > 0.5 && perturbed < 0.7, `speaker perturbation share ${perturbed}`);
  for (const u of plan.utterances) {
    const a = u.augmentation;
    const wide = u.voice.synthesis === 'unit-selection';
    if (a?.vtlp !== undefined) assert.ok(wide ? a.vtlp >= 0.82 && a.vtlp <= 1.22 : a.vtlp >= 0.9 && a.vtlp <= 1.1, `${u.id} vtlp ${a.vtlp}`);
    if (a?.tempo !== undefined) assert.ok(a.tempo >= 0.85 && a.tempo <= 1.15);
    if (a?.f0 !== undefined) assert.ok(wide && a.f0 >= 1.5, `${u.id}: F0 moved for ${u.voice.id}`);
    if (a?.noiseSnrDb !== undefined) assert.ok(a.noiseSnrDb >= 5 && a.noiseSnrDb <= 30);
    if (a?.bandLow !== undefined) assert.ok(a.bandLow >= 50 && a.bandLow <= 400 && a.bandHigh! >= 3000 && a.bandHigh! <= 7000);
    // The engine's F0 is scaled by f0 / vtlp (the first half of the vocal-tract change).
    if (u.voice.engine === 'flite' && a?.vtlp !== undefined) assert.ok(Math.abs(u.tts.f0! - (a.f0 ?? 1) / a.vtlp) < 1e-3);
    if (u.voice.engine === 'espeak-ng') {
      // The drawn pitch is 25-75; a vocal-tract change lowers or raises it by up to 11 steps (a 10% F0 change).
      const [lo, hi] = a?.vtlp === undefined ? [25, 75] : [14, 86];
      assert.ok(u.tts.rate! >= 130 && u.tts.rate! <= 200 && u.tts.pitch! >= lo && u.tts.pitch! <= hi, `${u.id}: ${JSON.stringify(u.tts)}`);
    }
  }
  const hours = plan.utterances.reduce((s, u) => s + u.estimate, 0) / 3600;
  assert.ok(hours >= 0.92 && hours < 0.93, `${hours} h: train, dev and test are 92% of the hours`);
  assert.deepEqual(planCorpus(sentences, voices, { hours: 1, seed: 5 }), plan);
  const bigger = planCorpus(sentences, voices, { hours: 2, seed: 5 });
  for (const split of ['train', 'dev', 'test']) {
    const a = plan.utterances.filter((u) => u.split === split);
    assert.deepEqual(bigger.utterances.filter((u) => u.split === split).slice(0, a.length), a);
  }
  assert.notDeepEqual(planCorpus(sentences, voices, { hours: 1, seed: 6 }).utterances, plan.utterances);
  assert.ok(planCorpus(sentences, voices, { hours: 0.1, seed: 5, augmentShare: 0, perturbShare: 0 }).utterances.every((u) => !u.augmentation));
  assert.throws(() => planCorpus(sentences, voices, { hours: 0, seed: 1 }), /hours/);
  assert.throws(() => planCorpus(sentences, [], { hours: 1, seed: 1 }), /no voices/);
});

test('augmentation: sox effects and noise at the requested SNR', () => {
  assert.deepEqual(soxEffects({ speed: 1.05, reverb: 30, telephone: true }),
    ['speed', '1.05', 'reverb', '30', 'sinc', '300-3400', 'gain', '-n', '-2']);
  // A vocal-tract change: speed moves formants and F0, tempo puts the rate back (times the drawn tempo).
  assert.deepEqual(soxEffects({ vtlp: 1.1, tempo: 0.88, bandLow: 120, bandHigh: 4000 }),
    ['speed', '1.1', 'tempo', '-s', (0.88 / 1.1).toFixed(4), 'sinc', '120-4000', 'gain', '-n', '-2']);
  assert.deepEqual(soxEffects({ gsm: true }), []);
  // Band limits stay below the Nyquist frequency of the rate the effects run at.
  assert.deepEqual(soxEffects({ bandLow: 200, bandHigh: 7000 }, 8000), ['sinc', '200-3600', 'gain', '-n', '-2']);
  assert.deepEqual(soxEffects(undefined), []);
  const n = 16000;
  const speech = Float32Array.from({ length: n }, (_, i) => (i < 4000 ? 0 : 0.3 * Math.sin(i * 0.05)));
  for (const colour of ['white', 'pink', 'brown'] as const) {
    const noisy = addNoise(speech.slice(), 16000, 10, colour, 3);
    const noise = noisy.map((v, i) => v - speech[i]!);
    let p = 0;
    for (const v of noise) p += v * v;
    const snr = 10 * Math.log10(activePower(speech, 16000) / (p / n));
    assert.ok(Math.abs(snr - 10) < 0.1, `${colour}: SNR ${snr}`);
    assert.deepEqual(addNoise(speech.slice(), 16000, 10, colour, 3), noisy);
  }
});
