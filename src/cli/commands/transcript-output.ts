/** `sayre transcribe --format`: a long transcript as plain text, one JSON line, SubRip or WebVTT. */
import type { LongTranscript } from '../../recognizer/recognizer.js';
import { buildCues, formatSrt, formatVtt } from '../../recognizer/subtitles.js';

/** The output formats of `sayre transcribe`. */
export const TRANSCRIPT_FORMATS = ['text', 'json', 'srt', 'vtt'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/** One JSON object (one line): `file` and `text` first, then confidence, duration, words, tokens and segments. */
export function transcriptJson(file: string, t: LongTranscript): string {
  return JSON.stringify({
    file, text: t.text, confidence: round(t.confidence), duration: round(t.duration),
    words: t.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) })),
    tokens: t.tokenTimings.map((k) => ({ token: k.token, start: k.start, end: k.end, confidence: round(k.confidence) })),
    segments: t.segments.map((s) => ({
      start: s.start, end: s.end, text: s.text, confidence: round(s.confidence),
      ...(s.alternatives ? { alternatives: s.alternatives.map((a) => ({ text: a.text, score: round(a.score) })) } : {}),
    })),
    ...(t.alternatives ? { alternatives: t.alternatives.map((a) => ({ text: a.text, score: round(a.score) })) } : {}),
  });
}

/** The transcript of `file` in `format`, ending in a newline (LF only). `many`: plain text is prefixed by the file's name. */
export function formatTranscript(format: TranscriptFormat, file: string, t: LongTranscript, many: boolean): string {
  switch (format) {
    case 'text': return `${many ? `${file}\t` : ''}${t.text}\n`;
    case 'json': return `${transcriptJson(file, t)}\n`;
    case 'srt': return formatSrt(buildCues(t.words));
    case 'vtt': return formatVtt(buildCues(t.words));
  }
}
