import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCues, type CueWord, formatSrt, formatVtt } from '../../src/recognizer/subtitles.js';

/** Words at a steady pace: `n` words, each 0.3 s with 0.1 s gaps, a 1 s pause after every `phrase` words. */
function speech(n: number, phrase: number): CueWord[] {
  const out: CueWord[] = [];
  let t = 0.2;
  for (let i = 0; i < n; i++) {
    const word = ['the', 'weather', 'is', 'fine', 'today', 'and', 'sun', 'shining'][i % 8]!;
    out.push({ word, start: t, end: t + 0.3 });
    t += 0.4 + ((i + 1) % phrase === 0 ? 1 : 0);
  }
  return out;
}

test('cues: at most 7 s, at most two lines of 42 characters, every word once, in order', () => {
  for (const phrase of [3, 11, 40]) {
    const words = speech(200, phrase);
    const cues = buildCues(words);
    assert.deepEqual(cues.flatMap((c) => c.lines.join(' ').split(' ')), words.map((w) => w.word));
    for (const [i, c] of cues.entries()) {
      assert.ok(c.end - c.start <= 7 + 1e-9, `cue ${i} lasts ${c.end - c.start} s`);
      assert.ok(c.end > c.start);
      assert.ok(c.lines.length <= 2 && c.lines.every((l) => l.length <= 42), JSON.stringify(c.lines));
      if (i > 0) assert.ok(c.start >= cues[i - 1]!.end, 'in order, not overlapping');
    }
  }
});

test('a pause of 0.5 s or more always ends a cue', () => {
  const words = speech(30, 3);
  const cues = buildCues(words);
  // Every phrase of three words is its own cue.
  assert.equal(cues.length, 10);
  assert.ok(cues.every((c) => c.lines.join(' ').split(' ').length === 3));
});

test('a word longer than a line is split across lines', () => {
  const cues = buildCues([{ word: 'x'.repeat(100), start: 0, end: 2 }]);
  assert.ok(cues.every((c) => c.lines.every((l) => l.length <= 42)));
  assert.equal(cues.flatMap((c) => c.lines).join(''), 'x'.repeat(100));
});

test('SRT and VTT text: numbering, time stamps, LF line endings', () => {
  const cues = [{ start: 0.5, end: 3.25, lines: ['hello world'] }, { start: 3661.001, end: 3662, lines: ['two', 'lines'] }];
  assert.equal(formatSrt(cues), '1\n00:00:00,500 --> 00:00:03,250\nhello world\n\n2\n01:01:01,001 --> 01:01:02,000\ntwo\nlines\n');
  assert.equal(formatVtt(cues), 'WEBVTT\n\n00:00:00.500 --> 00:00:03.250\nhello world\n\n01:01:01.001 --> 01:01:02.000\ntwo\nlines\n');
  assert.equal(formatSrt([]), '');
});
