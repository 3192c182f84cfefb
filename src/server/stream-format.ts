/** A live stream's audio format from what the client says (URL query, Content-Type, a WebSocket start message), checked. */
import { limits } from '../util/limits.js';
import { HttpError } from './http-error.js';
import { PCM_ENCODINGS, type PcmEncoding, type PcmFormat } from './pcm-decoder.js';

/** The format when the client says nothing: 16 kHz, 16-bit little-endian. */
export const DEFAULT_FORMAT: PcmFormat = { rate: 16000, encoding: 's16le' };

/**
 * `rate` and `encoding` as given (strings from a query, numbers from JSON; undefined or
 * null: the default), checked: the rate an integer within the sample-rate limits, the
 * encoding one of s16le, f32le. Throws HttpError 400 saying which and why.
 */
export function streamFormat(rate: unknown, encoding: unknown): PcmFormat {
  const r = rate === undefined || rate === null ? DEFAULT_FORMAT.rate : Number(rate);
  const { minSampleRate: lo, maxSampleRate: hi } = limits();
  if (!Number.isInteger(r) || r < lo || r > hi || (typeof rate === 'string' && !/^\d+$/.test(rate))) {
    throw new HttpError(400, `stream: rate must be an integer sample rate in Hz (${lo} to ${hi}), got ${JSON.stringify(rate)}`);
  }
  const e = encoding === undefined || encoding === null ? DEFAULT_FORMAT.encoding : encoding;
  if (!PCM_ENCODINGS.includes(e as PcmEncoding)) throw new HttpError(400, `stream: encoding must be one of ${PCM_ENCODINGS.join(', ')}, got ${JSON.stringify(encoding)}`);
  return { rate: r, encoding: e as PcmEncoding };
}

/** The format of a POST /transcribe/stream or WebSocket request: `?rate=&encoding=`, the rate also from `Content-Type: audio/L16; rate=N`. */
export function requestFormat(url: URL, contentType: string | undefined): PcmFormat {
  const rate = url.searchParams.get('rate') ?? /rate=(\d+)/.exec(contentType ?? '')?.[1];
  return streamFormat(rate, url.searchParams.get('encoding'));
}
