/**
 * Ten minutes of speech (the sample clips with pauses between them, put together here)
 * through Recognizer.transcribeLong: the model never sees more than one segment at a
 * time, the times land on the file's clock, and the subtitles are well formed.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeWav } from '../../src/audio/wav-write.js';
import { cer } from '../../src/metrics/error-rate.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { formatTranscript } from '../../src/cli/commands/transcript-output.js';
import { longSpeech } from '../helpers/speech-audio.js';
import { checkSubtitles } from '../helpers/subtitle-check.js';

const noModel = existsSync(join(bundledModelDir(), 'config.json')) ? false : 'no bundled model';

test('a 10-minute file: segment by segment (never more than N seconds at once), times on the file\'s clock, SRT and VTT well formed', { skip: noModel }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-long-'));
  try {
    const { samples, clips } = longSpeech(600);
    const file = join(dir, 'ten-minutes.wav');
    writeWav(file, samples, 16000);
    const rec = Recognizer.load();
    // Every call into the model, with the frames it was given.
    const seen: number[] = [];
    // transcribeLong goes through the async path (the one every backend, webgpu included, serves).
    const inner = rec.transcribeFeaturesAsync.bind(rec);
    rec.transcribeFeaturesAsync = (items, options) => {
      seen.push(...items.map((f) => f.frames));
      return inner(items, options);
    };
    const maxSegmentSeconds = 15;
    const t = await rec.transcribeLong(file, { maxSegmentSeconds });
    assert.ok(Math.abs(t.duration - samples.length / 16000) < 1e-3, `duration ${t.duration}`);
    assert.ok(seen.length >= clips.length / 2, `${seen.length} model calls for ${clips.length} clips`);
    const maxFrames = Math.max(...seen);
    assert.ok(maxFrames <= maxSegmentSeconds * 100 + 1, `the model saw ${maxFrames} frames at once (at most ${maxSegmentSeconds} s allowed)`);

    // Segments in order, within the file, no longer than allowed.
    for (const [i, s] of t.segments.entries()) {
      assert.ok(s.end - s.start <= maxSegmentSeconds + 1e-6 && s.start >= (t.segments[i - 1]?.end ?? 0));
    }
    // Stitched times: every word lies on (or right beside) a clip of speech, as placed in the file.
    for (const w of t.words) {
      assert.ok(clips.some((c) => w.start >= c.start - 0.3 && w.end <= c.end + 0.3), `word ${w.word} at ${w.start}-${w.end} s is not on any clip`);
    }
    for (let i = 1; i < t.words.length; i++) assert.ok(t.words[i]!.start >= t.words[i - 1]!.start, 'words in order');
    // The text reads like the clips (the model's own CER on them alone is about 14%).
    const rate = cer(clips.map((c) => c.text).join(' '), t.text);
    assert.ok(rate < 0.25, `CER ${rate.toFixed(3)} against the clips' texts`);

    const srt = checkSubtitles(formatTranscript('srt', file, t, false), 'srt');
    const vtt = checkSubtitles(formatTranscript('vtt', file, t, false), 'vtt');
    assert.deepEqual(vtt, srt);
    assert.ok(srt.length >= clips.length, `${srt.length} cues for ${clips.length} clips (each pause between clips ends a cue)`);
    assert.ok(srt[srt.length - 1]!.end > 590, 'cues reach the end of the file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('silence only: no segments decoded, empty text, the duration still counted', { skip: noModel }, async () => {
  const rec = Recognizer.load();
  const dir = mkdtempSync(join(tmpdir(), 'sayre-long-'));
  try {
    const file = join(dir, 'silence.wav');
    writeWav(file, new Float32Array(16000 * 45), 16000);
    let calls = 0;
    // transcribeLong goes through the async path (the one every backend, webgpu included, serves).
    const inner = rec.transcribeFeaturesAsync.bind(rec);
    rec.transcribeFeaturesAsync = (items, options) => { calls++; return inner(items, options); };
    const t = await rec.transcribeLong(file);
    assert.equal(t.text, '');
    assert.equal(calls, 0);
    assert.equal(t.duration, 45);
    assert.equal(formatTranscript('srt', file, t, false), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
