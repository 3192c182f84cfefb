/** `sayre transcribe --format text|json|srt|vtt` on a minute of MP3: results on stdout only, progress and notes on stderr. */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeWav } from '../../src/audio/wav-write.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { ffmpeg, longSpeech, programMissing } from '../helpers/speech-audio.js';
import { checkSubtitles } from '../helpers/subtitle-check.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });
const skip = existsSync(join(bundledModelDir(), 'config.json')) ? programMissing('ffmpeg') ?? false : 'no bundled model';

test('sayre transcribe: a minute of MP3 as text, JSON, SRT and VTT', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-transcribe-formats-'));
  try {
    const { samples, clips } = longSpeech(60);
    const wav = join(dir, 'minute.wav');
    writeWav(wav, samples, 16000);
    const mp3 = join(dir, 'minute.mp3');
    ffmpeg(wav, mp3, '-c:a', 'libmp3lame', '-b:a', '64k');

    const text = await sayre('transcribe', '--max-segment-seconds', '10', mp3);
    assert.equal(text.stdout.split('\n').length, 2, 'one line of text');
    // A file longer than one segment gets progress, on stderr (plain lines: not a terminal).
    assert.match(text.stderr, /minute\.mp3.*100%/);

    const json = await sayre('transcribe', '--max-segment-seconds', '10', '--json', mp3);
    const lines = json.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const j = JSON.parse(lines[0]!) as { file: string; text: string; duration: number; segments: { start: number; end: number; text: string }[]; words: { start: number }[] };
    assert.deepEqual(Object.keys(j).slice(0, 2), ['file', 'text']);
    assert.equal(j.file, mp3);
    assert.equal(j.text, text.stdout.trim());
    assert.ok(Math.abs(j.duration - samples.length / 16000) < 0.1);
    assert.ok(j.segments.length >= clips.length / 2 && j.segments.every((s) => s.end - s.start <= 10));
    assert.equal(j.segments.map((s) => s.text).filter((x) => x).join(' '), j.text);
    assert.deepEqual((await sayre('transcribe', '--max-segment-seconds', '10', '--format', 'json', mp3)).stdout, json.stdout);

    const srt = await sayre('transcribe', '--max-segment-seconds', '10', '--format', 'srt', mp3);
    const cues = checkSubtitles(srt.stdout, 'srt');
    assert.ok(cues.length >= clips.length);
    const vtt = await sayre('transcribe', '--max-segment-seconds', '10', '--format', 'vtt', mp3);
    assert.deepEqual(checkSubtitles(vtt.stdout, 'vtt'), cues);
    assert.equal(cues.map((c) => c.lines.join(' ')).join(' '), j.text, 'the cues hold the text, word for word');

    await assert.rejects(sayre('transcribe', '--format', 'srt', mp3, wav), /--format srt writes the subtitles of one file; got 2 files/);
    await assert.rejects(sayre('transcribe', '--format', 'docx', mp3), /--format must be one of text, json, srt, vtt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `sayre ARGS` with `input` on its standard input. */
const sayreStdin = (input: Uint8Array, ...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { input, encoding: 'utf8' });

test('sayre transcribe -: standard input reads as the file it holds (MP3; M4A, which ffmpeg must seek in; a TIFF line image)', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-transcribe-stdin-'));
  try {
    const { samples } = longSpeech(8);
    const wav = join(dir, 'clip.wav');
    writeWav(wav, samples, 16000);
    for (const [name, args] of [['clip.mp3', ['-c:a', 'libmp3lame']], ['clip.m4a', ['-c:a', 'aac']]] as const) {
      const file = join(dir, name);
      ffmpeg(wav, file, ...args);
      const byPath = (await sayre('transcribe', '--json', file)).stdout;
      const piped = sayreStdin(readFileSync(file), 'transcribe', '--json', '-');
      assert.equal(piped.status, 0, piped.stderr);
      const j = JSON.parse(piped.stdout) as { file: string; text: string };
      assert.equal(j.file, '-');
      assert.equal(j.text, (JSON.parse(byPath) as { text: string }).text, name);
      assert.ok(j.text.length > 0, name);
    }
    const line = fileURLToPath(new URL('../../../samples/line-print.png', import.meta.url));
    const tiff = join(dir, 'line.tiff');
    ffmpeg(line, tiff);
    const piped = sayreStdin(readFileSync(tiff), 'transcribe', '--model', 'text-lines', '-');
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, (await sayre('transcribe', '--model', 'text-lines', line)).stdout);
    await assert.rejects(sayre('transcribe', '-', '-'), /- \(standard input\) can be read once/);
    // what ffmpeg says of bytes it cannot read names the input, not the temporary copy it read
    const junk = sayreStdin(Buffer.from('neither audio nor an image'), 'transcribe', '-');
    assert.notEqual(junk.status, 0);
    assert.match(junk.stderr, /-: unsupported audio file: ffmpeg cannot decode it either: -: \S/);
    assert.doesNotMatch(junk.stderr, /sayre-ffmpeg-/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
