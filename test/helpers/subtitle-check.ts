/** Parses SRT/VTT text strictly and checks the cue rules (order, at most 7 s, two lines of 42 characters, LF). */
import assert from 'node:assert/strict';

export interface ParsedCue {
  start: number;
  end: number;
  lines: string[];
}

const seconds = (h: string, m: string, s: string, ms: string): number => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;

/** The cues of `text` in `format`; fails the test on any malformed block or broken rule. */
export function checkSubtitles(text: string, format: 'srt' | 'vtt'): ParsedCue[] {
  assert.ok(!text.includes('\r'), 'LF line endings only');
  let body = text;
  if (format === 'vtt') {
    assert.ok(text.startsWith('WEBVTT\n\n'), 'WEBVTT header');
    body = text.slice('WEBVTT\n\n'.length);
  }
  assert.ok(body.endsWith('\n') && !body.endsWith('\n\n'), 'ends with one newline');
  const sep = format === 'srt' ? ',' : '\\.';
  const stamp = new RegExp(`^(\\d\\d):(\\d\\d):(\\d\\d)${sep}(\\d\\d\\d) --> (\\d\\d):(\\d\\d):(\\d\\d)${sep}(\\d\\d\\d)$`);
  const cues: ParsedCue[] = [];
  for (const [i, block] of body.slice(0, -1).split('\n\n').entries()) {
    const lines = block.split('\n');
    if (format === 'srt') assert.equal(lines.shift(), String(i + 1), `cue ${i + 1}: its number`);
    const m = stamp.exec(lines.shift() ?? '');
    assert.ok(m, `cue ${i + 1}: time line in ${JSON.stringify(block)}`);
    const cue = { start: seconds(m[1]!, m[2]!, m[3]!, m[4]!), end: seconds(m[5]!, m[6]!, m[7]!, m[8]!), lines };
    assert.ok(cue.end > cue.start, `cue ${i + 1}: ends after it starts`);
    assert.ok(cue.end - cue.start <= 7.0005, `cue ${i + 1}: lasts ${cue.end - cue.start} s`);
    assert.ok(lines.length >= 1 && lines.length <= 2, `cue ${i + 1}: ${lines.length} lines`);
    assert.ok(lines.every((l) => l.length > 0 && l.length <= 42), `cue ${i + 1}: lines ${JSON.stringify(lines)}`);
    if (cues.length > 0) assert.ok(cue.start >= cues[cues.length - 1]!.end, `cue ${i + 1}: in order, after the one before`);
    cues.push(cue);
  }
  return cues;
}
