import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTtsCorpus } from '../../src/corpus/tts/build-tts-corpus.js';
import type { TtsCorpusOptions } from '../../src/corpus/tts/build-tts-corpus.js';
import { readManifest } from '../../src/data/manifest.js';
import { readWav } from '../../src/audio/wav-read.js';
import { normaliseText } from '../../src/data/normalise-text.js';
import { haveCommand } from '../helpers/have-command.js';

const engines = haveCommand('espeak-ng', ['--version']) && haveCommand('flite', ['-lv']) && haveCommand('sox', ['--version']);
const skip = engines ? false : 'espeak-ng, flite or sox is not installed';

const written = ['The cat sat on the mat.', 'Dogs bark at 3 cars!', 'Birds sing in the morning.', 'Fish swim in the sea.'];
const sentences = written.map((s) => ({ text: normaliseText(s).text, original: s, source: 'test' }));

test('a tiny corpus build: valid manifests, playable audio, and resuming redoes nothing', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-'));
  try {
    const options: TtsCorpusOptions = {
      outDir: out, hours: 0.003, seed: 4, sentences, voices: ['espeak-ng:en-us+m3', 'flite:kal16'],
      augmentShare: 0.5, devShare: 0.25, testShare: 0.25, jobs: 2,
    };
    const progress: number[] = [];
    const first = await buildTtsCorpus({ ...options, onProgress: (p) => progress.push(p.done) });
    assert.ok(first.complete);
    const total = first.progress.total;
    assert.ok(total >= 3, `only ${total} utterances`);
    assert.equal(first.progress.generated, total);
    assert.deepEqual(progress, Array.from({ length: total }, (_, i) => i + 1));
    const texts: Record<string, Set<string>> = {};
    let augmented = 0;
    for (const split of ['train', 'dev', 'test']) {
      const entries = readManifest(join(out, `${split}.jsonl`), { checkAudio: true });
      assert.ok(entries.length > 0, `${split} is empty`);
      texts[split] = new Set(entries.map((e) => e.text));
      for (const e of entries) {
        assert.ok(sentences.some((s) => s.text === e.text), e.text);
        assert.ok(['espeak-ng:en-us+m3', 'flite:kal16'].includes(e.voice!), e.voice);
        const audio = readWav(e.audioPath);
        assert.equal(audio.sampleRate, 16000);
        assert.equal(audio.channels, 1);
        assert.ok(Math.abs(audio.samples.length / 16000 - e.duration) < 1e-3);
        let energy = 0;
        for (const v of audio.samples) energy += v * v;
        assert.ok(energy / audio.samples.length > 1e-5, `${e.audio} is silent`);
        // Playable: sox reads it and agrees on the length.
        assert.equal(Number(execFileSync('soxi', ['-s', e.audioPath], { encoding: 'utf8' })), audio.samples.length);
        if (e.augmentation) augmented++;
      }
    }
    assert.ok(augmented > 0);
    for (const t of texts['test']!) assert.ok(!texts['train']!.has(t) && !texts['dev']!.has(t));
    const config = JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8')) as { status: string; summary: { splits: Record<string, { hours: number }> } };
    assert.equal(config.status, 'complete');
    assert.ok(config.summary.splits['train']!.hours > 0);

    // Resume: nothing is redone, no file touched, the manifests stay the same.
    const manifestBefore = readFileSync(join(out, 'train.jsonl'), 'utf8');
    const firstAudio = readManifest(join(out, 'train.jsonl'))[0]!.audioPath;
    const mtime = statSync(firstAudio).mtimeMs;
    const again = await buildTtsCorpus(options);
    assert.equal(again.progress.generated, 0);
    assert.equal(again.progress.skipped, total);
    assert.equal(statSync(firstAudio).mtimeMs, mtime);
    assert.equal(readFileSync(join(out, 'train.jsonl'), 'utf8'), manifestBefore);

    // An interrupted build (one WAV missing, one cut short) redoes exactly those two.
    const entries = readManifest(join(out, 'train.jsonl')).concat(readManifest(join(out, 'test.jsonl')));
    unlinkSync(entries[0]!.audioPath);
    truncateSync(entries[entries.length - 1]!.audioPath, 100);
    const resumed = await buildTtsCorpus(options);
    assert.equal(resumed.progress.generated, 2);
    assert.equal(resumed.progress.skipped, total - 2);
    assert.equal(readFileSync(join(out, 'train.jsonl'), 'utf8'), manifestBefore);

    // Other settings in the same folder are refused; reserved voices are refused.
    await assert.rejects(buildTtsCorpus({ ...options, seed: 5 }), /built with other settings/);
    await assert.rejects(buildTtsCorpus({ ...options, outDir: join(out, 'x'), voices: ['flite:slt'] }), /reserved/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a stopped build keeps what it made and resumes; one folder, one build at a time', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-stop-'));
  try {
    const options: TtsCorpusOptions = { outDir: out, hours: 0.003, seed: 9, sentences, voices: ['flite:kal16'], devShare: 0.25, testShare: 0.25, jobs: 1 };
    const stop = new AbortController();
    const stopped = await buildTtsCorpus({ ...options, signal: stop.signal, onProgress: () => stop.abort() });
    assert.equal(stopped.complete, false);
    assert.equal(stopped.progress.generated, 1);
    assert.equal(stopped.progress.failed, 0);
    const made = ['train', 'dev', 'test'].flatMap((s) => readManifest(join(out, `${s}.jsonl`), { checkAudio: true }));
    assert.equal(made.length, 1);
    assert.match(readFileSync(join(out, 'corpus.json'), 'utf8'), /"status": "incomplete"/);
    writeFileSync(join(out, '.lock'), String(process.pid));
    await assert.rejects(buildTtsCorpus(options), /another corpus build \(pid \d+\) is using this folder/);
    writeFileSync(join(out, '.lock'), '4194303'); // no such process: a stale lock is taken over
    const resumed = await buildTtsCorpus(options);
    assert.ok(resumed.complete);
    assert.equal(resumed.progress.skipped, 1);
    assert.equal(resumed.progress.generated, resumed.progress.total - 1);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

const festival = haveCommand('festival', ['--version']) && haveCommand('sox', ['--version']) ? false : 'festival or sox is not installed';

test('festival voices speak through long-running festival processes', { skip: festival }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-festival-'));
  try {
    const r = await buildTtsCorpus({
      outDir: out, hours: 0.002, seed: 3, sentences, voices: ['festival:kal_diphone', 'festival:ked_diphone'],
      devShare: 0.25, testShare: 0.25, jobs: 2, augmentShare: 0,
    });
    assert.ok(r.complete);
    const entries = ['train', 'dev', 'test'].flatMap((s) => readManifest(join(out, `${s}.jsonl`), { checkAudio: true }));
    assert.equal(entries.length, r.progress.total);
    for (const e of entries) {
      assert.ok(e.voice === 'festival:kal_diphone' || e.voice === 'festival:ked_diphone');
      const audio = readWav(e.audioPath);
      assert.equal(audio.sampleRate, 16000);
      assert.ok(audio.samples.length > 8000, `${e.audio} is too short for "${e.text}"`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a build whose utterances keep failing stops with an error and reports each failure', { skip }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-corpus-fail-'));
  const bin = join(out, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'sox'), '#!/bin/sh\necho "sox: broken on purpose" >&2\nexit 2\n');
  chmodSync(join(bin, 'sox'), 0o755);
  const path = process.env['PATH'];
  process.env['PATH'] = `${bin}:${path}`;
  try {
    const messages: string[] = [];
    await assert.rejects(buildTtsCorpus({
      outDir: join(out, 'c'), hours: 0.02, seed: 1, sentences, voices: ['flite:kal16'], jobs: 2, log: (m) => messages.push(m),
    }), /utterances failed/);
    assert.ok(messages.length >= 10);
    assert.match(messages[0]!, /flite:kal16.*broken on purpose/);
    assert.equal(readFileSync(join(out, 'c', 'train.jsonl'), 'utf8'), '');
  } finally {
    process.env['PATH'] = path;
    rmSync(out, { recursive: true, force: true });
  }
});
