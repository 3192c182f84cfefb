/**
 * Subtitles (SubRip .srt and WebVTT .vtt) from timed words: cues of at most `maxSeconds`
 * and at most `maxLines` lines of `maxLineChars` characters, broken at pauses between words
 * where possible; LF line endings.
 */

/** A timed word, as transcripts give them. */
export interface CueWord {
  word: string;
  start: number;
  end: number;
}

/** One subtitle: its time span (seconds) and its lines. */
export interface Cue {
  start: number;
  end: number;
  lines: string[];
}

/** Options of {@link buildCues}. */
export interface CueOptions {
  /** Longest cue in seconds (default 7). */
  maxSeconds?: number;
  /** Longest line in characters (default 42). */
  maxLineChars?: number;
  /** Most lines per cue (default 2). */
  maxLines?: number;
  /** A silence at least this long between words always ends a cue (default 0.5 s). */
  pauseSeconds?: number;
}

/** Words longer than a line, cut into line-sized pieces (sharing the word's time evenly). */
function fitWords(words: readonly CueWord[], width: number): CueWord[] {
  return words.flatMap((w) => {
    if (w.word.length <= width) return [w];
    const pieces = Math.ceil(w.word.length / width);
    const step = (w.end - w.start) / pieces;
    return Array.from({ length: pieces }, (_, i) => ({ word: w.word.slice(i * width, (i + 1) * width), start: w.start + i * step, end: w.start + (i + 1) * step }));
  });
}

/** `words` wrapped greedily into lines of at most `width` characters. */
function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + w.length <= width) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
  }
  return lines;
}

/**
 * Groups words (in time order) into cues: a new cue starts at a pause of `pauseSeconds`,
 * or when the next word would make the cue longer than `maxSeconds` or need more than
 * `maxLines` lines. Among the places a full cue could end, the longest gap between words
 * is taken, so that cues break at pauses rather than mid-phrase.
 */
export function buildCues(words: readonly CueWord[], options: CueOptions = {}): Cue[] {
  const maxSeconds = options.maxSeconds ?? 7;
  const width = options.maxLineChars ?? 42;
  const maxLines = options.maxLines ?? 2;
  const pause = options.pauseSeconds ?? 0.5;
  const all = fitWords(words, width);
  const cues: Cue[] = [];
  const fits = (group: readonly CueWord[]): boolean =>
    group[group.length - 1]!.end - group[0]!.start <= maxSeconds && wrap(group.map((w) => w.word), width).length <= maxLines;
  let i = 0;
  while (i < all.length) {
    // The most words from i that fit, stopping at a long pause.
    let j = i + 1;
    while (j < all.length && all[j]!.start - all[j - 1]!.end < pause && fits(all.slice(i, j + 1))) j++;
    // A full cue ends at its widest gap in its second half, when a word follows.
    if (j < all.length && all[j]!.start - all[j - 1]!.end < pause && j - i > 2) {
      let best = j;
      let gap = all[j]!.start - all[j - 1]!.end;
      for (let k = i + Math.ceil((j - i) / 2); k < j; k++) {
        const g = all[k]!.start - all[k - 1]!.end;
        if (g > gap) { gap = g; best = k; }
      }
      j = best;
    }
    const group = all.slice(i, j);
    // A single word longer than maxSeconds is cut short rather than break the limit.
    const start = group[0]!.start;
    cues.push({ start, end: Math.min(group[group.length - 1]!.end, start + maxSeconds), lines: wrap(group.map((w) => w.word), width) });
    i = j;
  }
  // Cues never overlap (word times from separate segments can touch).
  for (let k = 1; k < cues.length; k++) if (cues[k]!.start < cues[k - 1]!.end) cues[k - 1]!.end = cues[k]!.start;
  return cues;
}

function stamp(seconds: number, separator: string): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** SubRip text: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, a blank line after each. */
export function formatSrt(cues: readonly Cue[]): string {
  return cues.map((c, i) => `${i + 1}\n${stamp(c.start, ',')} --> ${stamp(c.end, ',')}\n${c.lines.join('\n')}\n`).join('\n');
}

/** WebVTT text: the WEBVTT header, then cues with `HH:MM:SS.mmm --> HH:MM:SS.mmm`. */
export function formatVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${stamp(c.start, '.')} --> ${stamp(c.end, '.')}\n${c.lines.join('\n')}\n`).join('\n')}`;
}
