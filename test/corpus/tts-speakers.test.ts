import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FortuneSentence } from '../../src/corpus/fortune-sentences.js';
import { planCorpus, SPLITS } from '../../src/corpus/tts/plan.js';
import { DEFAULT_HELD_OUT, partitionBySpeaker, speakerLeaks } from '../../src/corpus/tts/speaker-splits.js';
import { VOICE_CATALOGUE } from '../../src/corpus/tts/voice-catalogue.js';
import { allVoices, assertNotReserved, selectVoices } from '../../src/corpus/tts/voices.js';

/** Every catalogue voice installed, plus a few espeak-ng formant voices. */
const installed = {
  espeakAccents: ['en-gb', 'en-us'], espeakVariants: ['m1', 'f2', 'v3', 'v4', 'v5'],
  flite: ['kal16', 'awb'], festival: ['kal_diphone', 'ked_diphone', 'rab_diphone', 'don_diphone', 'us1_mbrola', 'us2_mbrola', 'us3_mbrola', 'en1_mbrola'],
  mbrola: ['mb-us1', 'mb-us2', 'mb-us3', 'mb-en1'], rhvoice: ['bdl', 'clb', 'alan', 'evgeniy-eng', 'lyubov'], pico: ['en-US', 'en-GB'],
};
const voices = allVoices(installed);
const sentences: FortuneSentence[] = Array.from({ length: 300 }, (_, i) => ({ text: `sentence number ${i} is here`, original: '', source: 'fortunes' }));
const heldOutText: FortuneSentence[] = Array.from({ length: 40 }, (_, i) => ({ text: `a held out jargon line ${i}`, original: '', source: 'jargon' }));

test('the voice catalogue: every allowed voice with speaker, sex, synthesis type and licence; no reserved voice', () => {
  assert.equal(voices.length, 10 + VOICE_CATALOGUE.length);
  for (const v of VOICE_CATALOGUE) {
    assert.doesNotThrow(() => assertNotReserved(v.id), v.id);
    assert.ok(v.speaker && v.licence && v.package, v.id);
  }
  for (const id of ['rhvoice:slt', 'festival:cmu_us_rms_cg', 'flite:slt', 'festival:cmu_us_slt_arctic_hts']) assert.throws(() => assertNotReserved(id), /reserved/, id);
  const recorded = new Set(voices.filter((v) => v.synthesis !== 'formant').map((v) => v.speaker));
  assert.ok(recorded.size >= 14, `${recorded.size} recorded speakers`);
  const female = [...new Set(voices.filter((v) => v.sex === 'female').map((v) => v.speaker))].sort();
  assert.deepEqual(female, ['arctic-clb', 'mbrola-us1', 'pico-en-GB', 'pico-en-US', 'rhvoice-lyubov']);
  // One speaker behind several engines.
  assert.deepEqual(selectVoices(voices, ['speaker:mbrola-us2']).map((v) => v.id), ['espeak-ng:mb-us2', 'festival:us2_mbrola']);
  assert.deepEqual(selectVoices(voices, ['speaker:arctic-awb']).map((v) => v.id), ['flite:awb', 'rhvoice:alan']);
  assert.equal(selectVoices(voices, ['espeak-ng:mb-us1'])[0]!.sex, 'female');
  assert.equal(selectVoices(voices, ['flite:awb'])[0]!.synthesis, 'unit-selection');
  assert.match(selectVoices(voices, ['espeak-ng:mb-us3'])[0]!.licence, /non-commercial/);
});

test('splits by speaker: held-out speakers are heard only in their split, through every engine, never perturbed', () => {
  const plan = planCorpus(sentences, voices, { hours: 3, seed: 2, heldOutText });
  assert.deepEqual(plan.heldOutSpeakers, DEFAULT_HELD_OUT);
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, plan.utterances.filter((u) => u.split === s).map((u) => u.voice)]));
  assert.deepEqual(speakerLeaks(bySplit), []);
  const speakers = (split: string): Set<string> => new Set(bySplit[split]!.map((v) => v.speaker));
  assert.deepEqual([...speakers('dev-speakers')].sort(), ['mbrola-us2', 'pico-en-GB']);
  assert.deepEqual([...speakers('test-speakers')].sort(), ['mbrola-us3', 'rhvoice-lyubov']);
  // Both engines of a held-out mbrola speaker are used, and neither appears elsewhere.
  assert.deepEqual(new Set(bySplit['dev-speakers']!.map((v) => v.id)), new Set(['espeak-ng:mb-us2', 'festival:us2_mbrola', 'pico:en-GB']));
  for (const split of ['train', 'dev', 'test']) {
    for (const held of [...DEFAULT_HELD_OUT.dev, ...DEFAULT_HELD_OUT.test]) assert.ok(!speakers(split).has(held), `${held} in ${split}`);
  }
  for (const split of ['dev-speakers', 'test-speakers']) {
    assert.ok(bySplit[split]!.some((v) => v.sex === 'female'), `no female speaker in ${split}`);
    for (const u of plan.utterances.filter((x) => x.split === split)) {
      for (const k of ['vtlp', 'tempo', 'f0', 'f0Range'] as const) assert.equal(u.augmentation?.[k], undefined, `${u.id} perturbed`);
    }
  }
  const trainFemale = new Set(bySplit['train']!.filter((v) => v.sex === 'female').map((v) => v.speaker));
  assert.ok(trainFemale.size >= 3, `train female speakers: ${[...trainFemale].join(', ')}`);
  // test-speakers reads only the held-out text; nothing else does.
  const test = plan.utterances.filter((u) => u.split === 'test-speakers');
  assert.ok(test.length > 10 && test.every((u) => u.source === 'jargon'));
  assert.ok(plan.utterances.filter((u) => u.split !== 'test-speakers').every((u) => u.source === 'fortunes'));
  // dev-speakers reads dev text, never train text.
  const trainText = new Set(plan.utterances.filter((u) => u.split === 'train').map((u) => u.text));
  assert.ok(plan.utterances.filter((u) => u.split === 'dev-speakers').every((u) => !trainText.has(u.text)));
  const hours = (split: string): number => plan.utterances.filter((u) => u.split === split).reduce((s, u) => s + u.estimate, 0) / 3600;
  assert.ok(Math.abs(hours('dev-speakers') - 0.12) < 0.01 && Math.abs(hours('test-speakers') - 0.12) < 0.01);
});

test('splits by speaker: leaks are caught, a speaker held out twice is refused', () => {
  const v = (speaker: string): { speaker: string } => ({ speaker });
  assert.deepEqual(speakerLeaks({ train: [v('a'), v('b')], 'dev-speakers': [v('b')], 'test-speakers': [v('c')] }), ['b in dev-speakers and train']);
  assert.deepEqual(speakerLeaks({ train: [v('a')], 'dev-speakers': [v('c')], 'test-speakers': [v('c')] }),
    ['c in dev-speakers and test-speakers', 'c in test-speakers and dev-speakers']);
  assert.throws(() => partitionBySpeaker(voices, { dev: ['mbrola-us2'], test: ['mbrola-us2'] }), /both dev-speakers and test-speakers/);
  const custom = planCorpus(sentences, voices, { hours: 1, seed: 2, heldOutSpeakers: { dev: ['arctic-clb'], test: ['kal'] } });
  const testIds = new Set(custom.utterances.filter((u) => u.split === 'test-speakers').map((u) => u.voice.id));
  assert.deepEqual([...testIds].sort(), ['festival:kal_diphone', 'flite:kal16']);
  assert.ok(custom.utterances.every((u) => u.split === 'test-speakers' || u.voice.speaker !== 'kal'));
});
