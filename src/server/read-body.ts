import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * Reads a request body of at most `maxBytes` (413 as soon as the declared length or the
 * bytes received pass it, without reading the rest into memory), arriving within
 * `timeoutMs` (408 past it: a slow upload holds no connection longer than that).
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs = Infinity): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = Number.isFinite(timeoutMs)
      ? setTimeout(() => {
        req.removeAllListeners('data');
        reject(new HttpError(408, `the upload did not arrive within ${timeoutMs} ms (--timeout)`, { Connection: 'close' }));
      }, Math.max(0, timeoutMs))
      : undefined;
    const settle = (): void => clearTimeout(timer);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle();
        req.removeAllListeners('data');
        req.resume(); // discard the rest
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { settle(); resolve(size > maxBytes ? new Uint8Array(0) : Buffer.concat(chunks, size)); });
    req.on('error', (err) => { settle(); reject(err); });
    req.on('aborted', () => { settle(); reject(new HttpError(400, 'the upload was aborted before it ended')); });
  });
}

/**
 * Reads and drops the rest of a request that was answered before it was all read
 * (closing at once would reset the connection before the client reads the answer), up to
 * `cap` bytes; past that the connection is closed.
 */
export function discardRest(req: IncomingMessage, cap: number): void {
  if (req.complete) return;
  let dropped = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => { if ((dropped += chunk.length) > cap) req.destroy(); });
  req.resume();
}

export function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `the body is larger than the ${maxBytes} bytes allowed (--max-body-bytes)`);
}
