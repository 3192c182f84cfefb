import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTtsCorpus } from '../../src/corpus/tts/build-tts-corpus.js';
import type { TtsCorpusOptions } from '../../src/corpus/tts/build-tts-corpus.js';
import { readManifest } from '../../src/data/manifest.js';
import { normaliseText } from '../../src/data/normalise-text.js';
import { haveCommand } from '../helpers/have-command.js';

const skip = haveCommand('espeak-ng', ['--version']) && haveCommand('sox', ['--version']) ? false : 'espeak-ng or sox is not installed';

const written = ['The cat sat on the mat.', 'Dogs bark at cars.', 'Birds sing in the morning.', 'Fish swim in the sea.',
  'Rain falls on the hills.', 'The sun rose late.', 'A fox ran past the barn.', 'Snow covers the road.'];
const sentences = written.map((s) => ({ text: normaliseText(s).text, original: s, source: 'test' }));
const voices = ['espeak-ng:en-us+m3', 'espeak-ng:en-us+f2', 'espeak-ng:en-us+klatt', 'espeak-ng:en-us+Alex'];

test('an extension adds train utterances that never read the first corpus\'s dev or test sentences nor use its test-only variants', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-extend-'));
  try {
    const base: TtsCorpusOptions = {
      outDir: join(out, 'base'), hours: 0.004, seed: 1, sentences, voices, devShare: 0.25, testShare: 0.25,
      heldOutVariantShare: 0.25, augmentShare: 0, perturbShare: 0, jobs: 2,
    };
    const first = await buildTtsCorpus(base);
    assert.ok(first.complete);
    const baseConfig = JSON.parse(readFileSync(join(out, 'base', 'corpus.json'), 'utf8')) as { heldOutVariants: string[] };
    assert.equal(baseConfig.heldOutVariants.length, 1);
    const evaluation = new Set(['dev', 'test'].flatMap((s) => readManifest(join(out, 'base', `${s}.jsonl`)).map((e) => e.text)));

    const more: TtsCorpusOptions = { ...base, outDir: join(out, 'more'), seed: 2, hours: 0.01, extend: join(out, 'base') };
    const r = await buildTtsCorpus(more);
    assert.ok(r.complete);
    assert.ok(r.extended);
    // the seed-2 plan's train draws sentences the first corpus kept for dev and test: they are left out
    assert.ok(r.extended.dropped.text > 0, JSON.stringify(r.extended));
    const train = readManifest(join(out, 'more', 'train.jsonl'), { checkAudio: true });
    assert.equal(train.length, r.extended.utterances);
    assert.ok(train.length > 0);
    for (const e of train) {
      assert.ok(!evaluation.has(e.text), `"${e.text}" is a dev or test sentence of the first corpus`);
      assert.ok(!baseConfig.heldOutVariants.some((v) => e.voice!.endsWith(`+${v}`)), `${e.voice} is kept for the first corpus's test split`);
    }
    for (const s of ['dev', 'test', 'dev-speakers', 'test-speakers']) assert.ok(!existsSync(join(out, 'more', `${s}.jsonl`)), `${s}.jsonl written`);
    const config = JSON.parse(readFileSync(join(out, 'more', 'corpus.json'), 'utf8')) as { status: string; extends: { corpus: string }; heldOutVariants: string[] };
    assert.equal(config.status, 'complete');
    assert.equal(config.extends.corpus, join(out, 'base'));
    assert.deepEqual(config.heldOutVariants, baseConfig.heldOutVariants);
    // resuming the extension redoes nothing
    const again = await buildTtsCorpus(more);
    assert.equal(again.progress.generated, 0);

    await assert.rejects(buildTtsCorpus({ ...more, outDir: join(out, 'same'), seed: 1 }), /--seed 1 is that corpus's own seed/);
    await assert.rejects(buildTtsCorpus({ ...more, outDir: join(out, 'split'), splits: ['train'] }), /train split only/);
    await assert.rejects(buildTtsCorpus({ ...more, outDir: join(out, 'twice'), extend: join(out, 'more') }), /itself an extension/);
    await assert.rejects(buildTtsCorpus({ ...more, outDir: join(out, 'none'), extend: join(out, 'nothing') }), /no corpus\.json/);
    // a base with only some splits built is refused: a split built later could read the extension's sentences
    const partial = await buildTtsCorpus({ ...base, outDir: join(out, 'partial'), splits: ['train'] });
    assert.equal(partial.complete, true);
    await assert.rejects(buildTtsCorpus({ ...more, outDir: join(out, 'late'), extend: join(out, 'partial') }), /not that of a complete build \(status incomplete\)/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
