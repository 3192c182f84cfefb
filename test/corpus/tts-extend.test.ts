import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FortuneSentence } from '../../src/corpus/fortune-sentences.js';
import { extensionUtterances } from '../../src/corpus/tts/extend-corpus.js';
import type { ExtendedCorpus } from '../../src/corpus/tts/extend-corpus.js';
import { planCorpus } from '../../src/corpus/tts/plan.js';
import { allVoices } from '../../src/corpus/tts/voices.js';

const voices = allVoices({
  espeakAccents: ['en-gb', 'en-us'], espeakVariants: ['m1', 'f2', 'v3', 'v4', 'v5', 'm7', 'f4', 'klatt', 'Alex', 'rob'],
  flite: ['kal16', 'awb'], festival: ['kal_diphone', 'ked_diphone'], mbrola: ['mb-us1', 'mb-us2', 'mb-us3'], rhvoice: ['bdl', 'lyubov'], pico: ['en-US', 'en-GB'],
});
const sentences: FortuneSentence[] = Array.from({ length: 300 }, (_, i) => ({ text: `sentence number ${i} is here`, original: '', source: 'fortunes' }));

test('an extension\'s train keeps out the first corpus\'s evaluation sentences, test-only variants and held-out speakers', () => {
  const first = planCorpus(sentences, voices, { hours: 3, seed: 1 });
  const base: ExtendedCorpus = {
    dir: '/corpus', seed: 1, heldOutSpeakers: first.heldOutSpeakers, heldOutVariants: first.heldOutVariants,
    evaluationTexts: new Set(first.utterances.filter((u) => u.split !== 'train').map((u) => u.text)),
  };
  assert.ok(base.heldOutVariants.length > 0);
  // a plan of another seed that holds out other speakers, so that base's held-out ones reach its train
  const next = planCorpus(sentences, voices, { hours: 6, seed: 2, heldOutSpeakers: { dev: ['arctic-bdl'], test: ['pico-en-US'] } });
  const { utterances, dropped } = extensionUtterances(next, 2, base);
  const planned = next.utterances.filter((u) => u.split === 'train');
  assert.ok(dropped.text > 0 && dropped.variant > 0 && dropped.speaker > 0, JSON.stringify(dropped));
  assert.equal(utterances.length + dropped.text + dropped.variant + dropped.speaker, planned.length);
  const held = new Set([...base.heldOutSpeakers.dev, ...base.heldOutSpeakers.test]);
  for (const u of utterances) {
    assert.equal(u.split, 'train');
    assert.ok(!base.evaluationTexts.has(u.text), u.text);
    assert.ok(u.voice.variant === undefined || !base.heldOutVariants.includes(u.voice.variant), u.voice.id);
    assert.ok(!held.has(u.voice.speaker), u.voice.id);
  }
  assert.throws(() => extensionUtterances(first, 1, base), /--seed 1 is that corpus's own seed/);
});
