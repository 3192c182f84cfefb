import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../../src/audio/wav-read.js';
import { buildTtsCorpus } from '../../src/corpus/tts/build-tts-corpus.js';
import { readManifest } from '../../src/data/manifest.js';
import { normaliseText } from '../../src/data/normalise-text.js';
import { allVoices, detectVoices } from '../../src/corpus/tts/voices.js';
import { haveCommand } from '../helpers/have-command.js';

const sox = haveCommand('sox', ['--version']);
const installed = sox ? allVoices(detectVoices()) : [];
const written = ['The harbour lights were burning late.', 'She counted 27 lanterns by the river.', 'Nobody expected the parliamentary committee to agree.'];
const sentences = written.map((s) => ({ text: normaliseText(s).text, original: s, source: 'test' }));

// One voice of each engine kind that the other corpus tests do not cover: mbrola through
// espeak-ng and through festival, RHVoice (HMM), SVOX Pico (HMM). Each skips where absent.
for (const [id, speaker, sex] of [
  ['espeak-ng:mb-us1', 'mbrola-us1', 'female'], ['festival:us1_mbrola', 'mbrola-us1', 'female'],
  ['festival:rab_diphone', 'rab', 'male'], ['rhvoice:clb', 'arctic-clb', 'female'], ['pico:en-US', 'pico-en-US', 'female'],
] as const) {
  const skip = !sox ? 'sox is not installed' : installed.some((v) => v.id === id) ? false : `${id} is not installed (see docs/corpus.md: contrib and non-free)`;
  test(`corpus tts with ${id}: speaks a few sentences, records speaker and licence`, { skip }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-engine-'));
    try {
      const r = await buildTtsCorpus({
        outDir: out, hours: 0.002, seed: 1, sentences, voices: [id], jobs: 2,
        devShare: 0.3, testShare: 0.3, speakerDevShare: 0, speakerTestShare: 0, heldOutSpeakers: { dev: [], test: [] },
      });
      assert.ok(r.complete);
      const entries = ['train', 'dev', 'test'].flatMap((s) => readManifest(join(out, `${s}.jsonl`), { checkAudio: true }));
      assert.equal(entries.length, r.progress.total);
      assert.ok(entries.length >= 2);
      for (const e of entries) {
        assert.equal(e.voice, id);
        assert.equal(e.speaker, speaker);
        const { samples, sampleRate } = readWav(e.audioPath);
        assert.equal(sampleRate, 16000);
        // At least 0.15 s of audio per word, and not silence.
        assert.ok(samples.length / sampleRate > 0.15 * e.text.split(' ').length, `${e.audio} is too short for "${e.text}"`);
        let energy = 0;
        for (const v of samples) energy += v * v;
        assert.ok(energy / samples.length > 1e-5, `${e.audio} is silent`);
      }
      const card = JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8')) as { voices: { id: string; speaker: string; sex: string; licence: string }[] };
      assert.equal(card.voices.length, 1);
      assert.equal(card.voices[0]!.sex, sex);
      assert.ok(card.voices[0]!.licence.length > 10);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('corpus tts --splits: only the splits asked for, the very utterances a full build makes, which a later full build keeps', { skip: !sox || !installed.some((v) => v.id === 'flite:kal16') ? 'sox or flite is not installed' : false }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-splits-'));
  const full = mkdtempSync(join(tmpdir(), 'sayre-corpus-splits-full-'));
  try {
    const options = {
      hours: 0.004, seed: 3, sentences, voices: ['flite:kal16'], jobs: 2,
      devShare: 0.3, testShare: 0.3, speakerDevShare: 0, speakerTestShare: 0, heldOutSpeakers: { dev: [], test: [] },
    };
    const part = await buildTtsCorpus({ ...options, outDir: out, splits: ['test'] });
    const status = (dir: string) => JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8')) as { status: string; splitsBuilt?: string[] };
    assert.deepEqual(status(out), { ...status(out), status: 'incomplete', splitsBuilt: ['test'] });
    assert.equal(readManifest(join(out, 'train.jsonl')).length, 0);
    const test = readManifest(join(out, 'test.jsonl'), { checkAudio: true });
    assert.ok(test.length > 0);
    assert.equal(part.progress.total, test.length);
    // the whole corpus in the same folder: the test split is kept, the rest added
    const rest = await buildTtsCorpus({ ...options, outDir: out });
    assert.ok(rest.complete);
    assert.equal(rest.progress.skipped, test.length);
    assert.equal(status(out).status, 'complete');
    assert.equal(status(out).splitsBuilt, undefined);
    // and it is the corpus a full build makes from nothing
    await buildTtsCorpus({ ...options, outDir: full });
    for (const s of ['train', 'dev', 'test']) {
      const a = readManifest(join(out, `${s}.jsonl`)), b = readManifest(join(full, `${s}.jsonl`));
      assert.deepEqual(a.map((e) => [e.audio, e.text, e.voice]), b.map((e) => [e.audio, e.text, e.voice]), s);
    }
    for (const e of test) assert.deepEqual(readFileSync(e.audioPath), readFileSync(join(full, e.audio)), e.audio);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  }
});
