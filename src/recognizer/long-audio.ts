/**
 * Audio of any length through a recogniser whose memory must not grow with it: the
 * decoded pieces go into an energy segmenter, each segment of at most `maxSegmentSeconds`
 * is transcribed alone, and its times are shifted back to the file's clock.
 */
import type { AudioChunk } from '../audio/audio-stream.js';
import { type AudioSegment, EnergySegmenter, type SegmenterOptions, soundBounds } from '../audio/vad.js';

/** Anything with a time span in seconds (words, tokens). */
export interface Timed {
  start: number;
  end: number;
}

/** What a segment's transcription gives (the Recognizer's Transcript has all of it). */
export interface SegmentText<W extends Timed, K extends Timed> {
  text: string;
  /** With an n-best search: the best texts, best first, with their scores. */
  alternatives?: { text: string; score: number }[];
  confidence: number;
  words: W[];
  tokenTimings: K[];
}

/** One segment of long audio, transcribed, with times on the file's clock (seconds). */
export interface TranscribedSegment<W extends Timed = Timed, K extends Timed = Timed> extends SegmentText<W, K> {
  start: number;
  end: number;
}

/** Options of {@link transcribeSegments}. */
export interface LongAudioOptions {
  /** Longest segment the model sees, in seconds (default 20). */
  maxSegmentSeconds?: number;
  /** Pauses at least this long are preferred as cut points (default 0.5 s). */
  minPauseSeconds?: number;
  /** Segments whose loudest 10 ms stays under this level (dBFS) hold no speech and are not decoded (default -50). */
  silenceDb?: number;
  /** Called after each segment with the input bytes consumed so far. */
  onProgress?: (bytesRead: number) => void;
}

const round = (s: number): number => Math.round(s * 1000) / 1000;
/** Seconds of pause kept around a segment's sound. */
const SOUND_MARGIN = 0.2;

/**
 * Transcribes a stream of decoded pieces (one file: one sample rate) segment by segment
 * with `transcribe`, yielding each segment's result with times shifted to the stream's
 * clock. Only one segment's samples are held at a time.
 */
export async function* transcribeSegments<W extends Timed, K extends Timed>(
  chunks: AsyncIterable<AudioChunk>, transcribe: (samples: Float32Array, sampleRate: number) => SegmentText<W, K> | Promise<SegmentText<W, K>>, options: LongAudioOptions = {},
): AsyncGenerator<TranscribedSegment<W, K>> {
  const segmenterOptions: SegmenterOptions = { maxSeconds: options.maxSegmentSeconds ?? 20, minPauseSeconds: options.minPauseSeconds ?? 0.5 };
  const silence = options.silenceDb ?? -50;
  let segmenter: EnergySegmenter | undefined;
  let bytesRead = 0;
  const decode = async (s: AudioSegment): Promise<TranscribedSegment<W, K> | undefined> => {
    if (s.peakDb < silence) return undefined;
    const rate = segmenter!.sampleRate;
    const t0 = s.start / rate;
    const t = await transcribe(s.samples, rate);
    // Cuts fall in the middle of pauses, and a CTC model may place a spike anywhere in the
    // pause before a word: in a cut stream, times are kept within SOUND_MARGIN seconds of the
    // segment's sound (a stream left whole reads as the utterance it is, as a stream of it does).
    const frame = segmenter!.frame;
    const sound = s.whole ? undefined : soundBounds(s.frameDb, Math.round((SOUND_MARGIN * rate) / frame));
    const lo = sound ? (sound.first * frame) / rate : 0, hi = sound ? Math.min(s.samples.length, sound.end * frame) / rate : s.samples.length / rate;
    const within = (x: number): number => round(Math.min(hi, Math.max(lo, x)) + t0);
    const shift = <T extends Timed>(x: T): T => ({ ...x, start: within(x.start), end: within(x.end) });
    return {
      start: round(t0), end: round(t0 + s.samples.length / rate), text: t.text, confidence: t.confidence,
      words: t.words.map(shift), tokenTimings: t.tokenTimings.map(shift), ...(t.alternatives ? { alternatives: t.alternatives } : {}),
    };
  };
  for await (const c of chunks) {
    segmenter ??= new EnergySegmenter(c.sampleRate, segmenterOptions);
    bytesRead = c.bytesRead;
    for (const s of segmenter.push(c.samples)) {
      const t = await decode(s);
      options.onProgress?.(bytesRead);
      if (t) yield t;
    }
  }
  for (const s of segmenter?.flush() ?? []) {
    const t = await decode(s);
    if (t) yield t;
  }
  options.onProgress?.(bytesRead);
}

/** The segments of a long transcription joined: one text, all words and tokens in order. */
export function joinSegments<W extends Timed, K extends Timed>(segments: readonly TranscribedSegment<W, K>[], duration: number): SegmentText<W, K> & { duration: number; segments: TranscribedSegment<W, K>[] } {
  const spoken = segments.filter((s) => s.text !== '');
  const words = segments.flatMap((s) => s.words);
  // Mean confidence weighted by words (a segment without words does not count).
  const weight = spoken.reduce((a, s) => a + Math.max(1, s.words.length), 0);
  const confidence = weight === 0 ? 1 : spoken.reduce((a, s) => a + s.confidence * Math.max(1, s.words.length), 0) / weight;
  // The n-best texts of the file are its one segment's; of several segments they are not defined.
  const alternatives = segments.length === 1 ? segments[0]!.alternatives : undefined;
  return {
    text: spoken.map((s) => s.text).join(' '), confidence, words, tokenTimings: segments.flatMap((s) => s.tokenTimings), duration, segments: [...segments],
    ...(alternatives ? { alternatives } : {}),
  };
}

/** A whole stream transcribed segment by segment and joined (see {@link transcribeSegments}). */
export async function transcribeStream<W extends Timed, K extends Timed>(
  chunks: AsyncIterable<AudioChunk>, transcribe: (samples: Float32Array, sampleRate: number) => SegmentText<W, K> | Promise<SegmentText<W, K>>, options: LongAudioOptions = {},
): Promise<SegmentText<W, K> & { duration: number; segments: TranscribedSegment<W, K>[] }> {
  let duration = 0;
  async function* counted(): AsyncGenerator<AudioChunk> {
    for await (const c of chunks) {
      duration += c.samples.length / c.sampleRate;
      yield c;
    }
  }
  const segments: TranscribedSegment<W, K>[] = [];
  for await (const s of transcribeSegments(counted(), transcribe, options)) segments.push(s);
  return joinSegments(segments, round(duration));
}
