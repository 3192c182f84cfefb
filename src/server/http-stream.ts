/**
 * POST /transcribe/stream: a chunked request body of raw PCM, sent as it is recorded; the
 * response is NDJSON, one event per line (partial, final, error), written as the events
 * come. Ending the body ends the stream: its last final is the last line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LiveStream, type LiveStreamLimits } from './live-stream.js';
import type { PcmFormat } from './pcm-decoder.js';
import type { StreamEngine } from './stream-engine.js';

/** Serves one streaming request; `track` is told of the stream (for shutdown); resolves when it is over. */
export function serveHttpStream(
  req: IncomingMessage, res: ServerResponse, engine: StreamEngine, format: PcmFormat, limits: LiveStreamLimits, track: (live: LiveStream) => void,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
  res.flushHeaders(); // the client learns at once that its stream was accepted (not refused with 503)
  const live = new LiveStream(engine, {
    send: (e) => void res.write(JSON.stringify(e) + '\n'),
    finish: () => {
      res.end();
      // A cut stream's client may still be sending: its connection goes, not its bytes.
      if (!req.complete) res.once('finish', () => req.destroy());
    },
    pause: () => void req.pause(),
    resume: () => void req.resume(),
  }, limits, format);
  track(live);
  req.on('data', (chunk: Buffer) => live.write(chunk));
  req.on('end', () => live.end());
  req.on('error', () => live.gone());
  res.once('close', () => { if (!res.writableFinished) live.gone(); });
  return live.done;
}
