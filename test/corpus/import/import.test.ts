import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importCorpus } from '../../../src/corpus/import/import-corpus.js';
import { splitOf } from '../../../src/corpus/import/split-by-id.js';
import { readManifest } from '../../../src/data/manifest.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { HAVE_FFMPEG, HAVE_SOX, ffmpegConvert, ffprobeSeconds, soxConvert, toneWav } from './fabricate.js';

const cli = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const fresh = (name: string): string => mkdtempSync(join(tmpdir(), `sayre-import-${name}-`));

/** A manifest's entries as {id: [text, duration, speaker]}; every audio file must exist. */
function byId(path: string): Record<string, [string, number, string | undefined]> {
  const out: Record<string, [string, number, string | undefined]> = {};
  for (const e of readManifest(path, { checkAudio: true })) out[e['id'] as string] = [e.text, e.duration, e.speaker];
  return out;
}

/** The report's lines (after its header) as [where, why]. */
function report(path: string): [string, string][] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t') as [string, string]);
}

describe('sayre corpus import librispeech (FLAC made by sox)', { skip: HAVE_SOX ? false : 'sox is not installed' }, () => {
  it('one manifest per subset, transcripts normalised, durations from STREAMINFO, missing and corrupt audio reported', () => {
    const root = join(fresh('libri'), 'LibriSpeech'), src = fresh('libri-src');
    const chapter = join(root, 'train-clean-100', '19', '198');
    mkdirSync(chapter, { recursive: true });
    toneWav(join(src, 'a.wav'), 20000);
    toneWav(join(src, 'b.wav'), 8017);
    soxConvert(join(src, 'a.wav'), join(chapter, '19-198-0000.flac'));
    soxConvert(join(src, 'b.wav'), join(chapter, '19-198-0001.flac'));
    writeFileSync(join(chapter, '19-198.trans.txt'),
      '19-198-0000 NORTHANGER ABBEY BY JANE AUSTEN\n19-198-0001 IT WAS 1811 AND MISTER MORLAND\'S CAT & DOG\n19-198-0002 THIS ONE HAS NO AUDIO\n');
    const dev = join(root, 'dev-clean', '84', '121');
    mkdirSync(dev, { recursive: true });
    soxConvert(join(src, 'b.wav'), join(dev, '84-121-0000.flac'));
    writeFileSync(join(dev, '84-121-0001.flac'), 'garbage, not FLAC');
    writeFileSync(join(dev, '84-121.trans.txt'), '84-121-0000 A DEV UTTERANCE\n84-121-0001 A CORRUPT ONE\n');

    const out = fresh('libri-out');
    const r = spawnSync(process.execPath, [cli, 'corpus', 'import', 'librispeech', root, '--out', out, '--no-progress'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /train-clean-100\.jsonl\t2 utterances/);
    assert.deepEqual(byId(join(out, 'train-clean-100.jsonl')), {
      '19-198-0000': ['northanger abbey by jane austen', 1.25, '19'],
      '19-198-0001': ['it was eighteen eleven and mister morland\'s cat and dog', 0.5011, '19'],
    });
    assert.deepEqual(byId(join(out, 'dev-clean.jsonl')), { '84-121-0000': ['a dev utterance', 0.5011, '84'] });
    const problems = report(join(out, 'import-report.txt'));
    assert.equal(problems.length, 2);
    assert.match(problems[0]![0], /19-198-0002\.flac$/);
    assert.match(problems[0]![1], /listed in 19-198\.trans\.txt:3 but missing/);
    assert.match(problems[1]![0], /84-121-0001\.flac$/);
    assert.match(problems[1]![1], /unreadable audio header: not WAV, FLAC, MP3 or Ogg/);
    assert.match(r.stderr, /2 item\(s\) left out/);
  });
});

describe('sayre corpus import commonvoice (MP3 made by ffmpeg)', { skip: HAVE_FFMPEG ? false : 'ffmpeg is not installed' }, () => {
  it('train/dev/test TSVs to manifests, MP3 durations from the frame headers, unmappable sentences reported', () => {
    const root = fresh('cv'), src = fresh('cv-src');
    toneWav(join(src, 't.wav'), 30011, 48000);
    const clips = ['common_voice_en_1.mp3', 'common_voice_en_2.mp3', 'common_voice_en_3.mp3'];
    for (const c of clips) ffmpegConvert(join(src, 't.wav'), join(root, 'clips', c));
    const head = 'client_id\tpath\tsentence\tup_votes\tdown_votes\tage\tgender\taccents\tlocale\tsegment\n';
    writeFileSync(join(root, 'train.tsv'), `${head}abc\t${clips[0]}\tIt's 5 o'clock, "Mr. Smith".\t2\t0\t\t\t\ten\t\nabc\t${clips[1]}\t你好 world\t2\t0\t\t\t\ten\t\n`);
    writeFileSync(join(root, 'dev.tsv'), `${head}def\t${clips[2]}\tCafé au lait?\t2\t0\t\t\t\ten\t\n`);
    writeFileSync(join(root, 'test.tsv'), `${head}ghi\tcommon_voice_en_9.mp3\tMissing clip.\t2\t0\t\t\t\ten\t\n`);
    const summary = importCorpus({ layout: 'commonvoice', dir: root });
    assert.deepEqual(summary.manifests.map((m) => [m.name, m.utterances]), [['dev', 1], ['test', 0], ['train', 1]]);
    const seconds = Math.round(ffprobeSeconds(join(root, 'clips', clips[0]!)) * 1e4) / 1e4;
    const train = byId(join(root, 'train.jsonl'));
    assert.deepEqual(Object.keys(train), ['common_voice_en_1']);
    assert.equal(train['common_voice_en_1']![0], 'it\'s five o\'clock mr smith');
    assert.ok(Math.abs(train['common_voice_en_1']![1] - seconds) < 1e-3, `${train['common_voice_en_1']![1]} s against ffprobe's ${seconds} s`);
    assert.equal(train['common_voice_en_1']![2], 'abc');
    assert.deepEqual(Object.values(byId(join(root, 'dev.jsonl'))).map((e) => e[0]), ['cafe au lait']);
    assert.deepEqual(summary.problems.map((p) => p.reason.replace(/ in ".*/, '')), ['listed in test.tsv:2 but missing', 'characters the normaliser cannot map: "你" "好"']);
  });
});

describe('sayre corpus import ljspeech and tsv (WAV)', () => {
  it('LJ Speech: the normalised column, dev and test cut off by a hash of the id', () => {
    const root = fresh('lj');
    const ids = Array.from({ length: 40 }, (_, i) => `LJ001-${String(i + 1).padStart(4, '0')}`);
    ids.forEach((id, i) => toneWav(join(root, 'wavs', `${id}.wav`), 4000 + i, 22050));
    const lines = ids.map((id) => `${id}|Printing, in 1450, etc.|Printing, in fourteen fifty, etcetera.`);
    lines.push('LJ009-0001|No audio for this one.|No audio for this one.', 'a line without fields');
    writeFileSync(join(root, 'metadata.csv'), lines.join('\n') + '\n');
    const out = fresh('lj-out');
    const summary = importCorpus({ layout: 'ljspeech', dir: root, outDir: out, devShare: 0.1, testShare: 0.1 });
    const seen: string[] = [];
    for (const m of summary.manifests) {
      for (const [id, [text, duration, speaker]] of Object.entries(byId(m.path))) {
        assert.equal(m.name, splitOf(id, 0.1, 0.1), `${id} is in ${m.name}`);
        assert.equal(text, 'printing in fourteen fifty etcetera');
        assert.equal(duration, Math.round(((4000 + ids.indexOf(id)) / 22050) * 1e4) / 1e4);
        assert.equal(speaker, 'LJ');
        seen.push(id);
      }
    }
    assert.deepEqual(seen.sort(), ids);
    assert.deepEqual(summary.manifests.map((m) => m.name), ['dev', 'test', 'train']);
    assert.ok(summary.manifests.every((m) => m.utterances > 0));
    assert.deepEqual(summary.problems.map((p) => p.reason), ['listed in metadata.csv:41 but missing', 'expected "id|transcription|normalized transcription"']);
  });

  it('tsv: each TSV of a folder to a manifest, paths relative to the TSV, extra columns ignored, an empty transcript reported', () => {
    const root = fresh('tsv');
    toneWav(join(root, 'audio', 'one.wav'), 16000);
    toneWav(join(root, 'audio', 'two.wav'), 24000, 8000);
    writeFileSync(join(root, 'train.tsv'), 'path\tspeaker\ttext\tnote\naudio/one.wav\tspk1\tHello there!\tx\naudio/two.wav\tspk2\t...\tx\n');
    writeFileSync(join(root, 'dev.tsv'), 'audio\ttranscript\naudio/two.wav\tThe 2nd one\n');
    const summary = importCorpus({ layout: 'tsv', dir: root });
    assert.deepEqual(byId(join(root, 'train.jsonl')), { 'audio/one.wav': ['hello there', 1, 'spk1'] });
    assert.deepEqual(byId(join(root, 'dev.jsonl')), { 'audio/two.wav': ['the second one', 3, undefined] });
    assert.equal(summary.problems.length, 1);
    assert.match(summary.problems[0]!.reason, /empty transcript after normalisation/);
    assert.throws(() => importCorpus({ layout: 'tsv', dir: join(root, 'audio') }), /no \.tsv files/);
    writeFileSync(join(root, 'bad.tsv'), 'file\twords\n');
    assert.throws(() => importCorpus({ layout: 'tsv', dir: join(root, 'bad.tsv') }), /bad\.tsv: the header line must name an audio column/);
  });

  it('a folder in the wrong layout is an error that says what was expected', () => {
    const root = fresh('empty');
    assert.throws(() => importCorpus({ layout: 'librispeech', dir: root }), /no \*\.trans\.txt files/);
    assert.throws(() => importCorpus({ layout: 'commonvoice', dir: root }), /not a Common Voice language folder/);
    assert.throws(() => importCorpus({ layout: 'ljspeech', dir: root }), /no metadata\.csv/);
  });
});
