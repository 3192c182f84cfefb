/** An uploaded WAV file checked and decoded, with each failure mapped to a clear 4xx. */
import { decodeWav, type Audio } from '../audio/wav-read.js';
import { WavError } from '../audio/wav-header.js';
import { HttpError } from './http-error.js';

const ascii = (b: Uint8Array, at: number): string => String.fromCharCode(...b.subarray(at, at + 4));

/** Decodes `body` as a WAV file no longer than `maxSeconds`; throws HttpError 400 (empty, truncated, malformed), 413 (too long) or 415 (not a WAV, unsupported encoding). */
export function decodeUpload(body: Uint8Array, maxSeconds: number): Audio {
  if (body.length === 0) throw new HttpError(400, 'upload: empty body: send a WAV file as the request body');
  if (body.length >= 12 && (ascii(body, 0) !== 'RIFF' || ascii(body, 8) !== 'WAVE') && ascii(body, 0) !== 'RF64') {
    throw new HttpError(415, 'upload: the body is not a WAV file (it does not start with RIFF....WAVE); send audio/wav');
  }
  let audio: Audio;
  try {
    audio = decodeWav(body, 'upload');
  } catch (err) {
    if (err instanceof WavError) throw new HttpError(err.kind === 'unsupported' ? 415 : 400, err.message);
    throw new HttpError(400, `upload: cannot decode the WAV file: ${err instanceof Error ? err.message : String(err)}`);
  }
  checkDuration(audio.samples.length / audio.sampleRate, maxSeconds);
  return audio;
}

/** 413 when `seconds` of audio is more than allowed. */
export function checkDuration(seconds: number, maxSeconds: number): void {
  if (seconds > maxSeconds) throw new HttpError(413, `upload: the audio lasts ${seconds.toFixed(2)} s, longer than the ${maxSeconds} s allowed (--max-seconds)`);
}
