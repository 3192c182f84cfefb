/** An uploaded audio file (any format sayre decodes, told by content) checked and decoded, with each failure mapped to a clear 4xx. */
import { AudioError } from '../audio/audio-error.js';
import { detectAudioFormat } from '../audio/audio-format.js';
import { decodeAudio, type DecodedAudio } from '../audio/decode-audio.js';
import { HttpError } from './http-error.js';

const STATUS = { empty: 400, truncated: 400, malformed: 400, unsupported: 415, unrecognised: 415, 'too-long': 413 } as const;

/**
 * Decodes `body` (WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus or WebM/Opus; never through ffmpeg:
 * uploads are untrusted) no longer than `maxSeconds`, decoding no further than that; throws
 * HttpError 400 (empty, truncated, malformed), 413 (too long) or 415 (not a format sayre reads).
 */
export async function decodeUpload(body: Uint8Array, maxSeconds: number): Promise<DecodedAudio> {
  if (body.length === 0) throw new HttpError(400, 'upload: empty body: send an audio file (WAV, MP3, FLAC, Ogg, WebM/Opus) as the request body');
  if (!detectAudioFormat(body)) {
    const head = Array.from(body.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new HttpError(415, `upload: the body is not a WAV file, nor MP3, FLAC, Ogg Vorbis, Ogg Opus or WebM/Opus (first bytes ${head}); send one of those`);
  }
  try {
    return await decodeAudio(body, 'upload', { maxSeconds });
  } catch (err) {
    if (err instanceof AudioError && err.kind === 'too-long') throw new HttpError(413, `upload: the audio is longer than the ${maxSeconds} s allowed (--max-seconds)`);
    if (err instanceof AudioError) throw new HttpError(STATUS[err.kind], err.message);
    throw new HttpError(400, `upload: cannot decode the audio: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** 413 when `seconds` of audio is more than allowed. */
export function checkDuration(seconds: number, maxSeconds: number): void {
  if (seconds > maxSeconds) throw new HttpError(413, `upload: the audio lasts ${seconds.toFixed(2)} s, longer than the ${maxSeconds} s allowed (--max-seconds)`);
}
