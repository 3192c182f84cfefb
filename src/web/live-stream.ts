/**
 * The recogniser worker's side of live captions: microphone chunks from the worklet's port
 * into a StreamSession (the same events as the CLI's `--stream` and the server's), the
 * events back to the page as they come.
 */
import type { Recognizer } from '../recognizer/recognizer.js';
import { StreamSession } from '../recognizer/stream-session.js';
import type { FromWorker, MicMessage } from './worker-protocol.js';

/** How the worker posts to the page. */
export type PostToPage = (m: FromWorker, transfer?: Transferable[]) => void;

/**
 * Runs one live stream: every {@link MicMessage} on `audio` (samples at `sampleRate` Hz)
 * goes through a StreamSession over `rec`; its events go to `post`, and at 'end' the last
 * final, then 'live-ended' (with the audio received, when `keepAudio`). An error ends the
 * stream with 'live-failed'.
 */
export function runLiveStream(rec: Recognizer, audio: MessagePort, sampleRate: number, keepAudio: boolean, post: PostToPage): void {
  const session = new StreamSession(rec);
  const kept: Float32Array[] = [];
  const close = (last: FromWorker, transfer: Transferable[] = []): void => {
    audio.onmessage = null;
    audio.close();
    post(last, transfer);
  };
  audio.onmessage = (e: MessageEvent<MicMessage>) => {
    try {
      const m = e.data;
      if (m.type === 'audio') {
        if (keepAudio) kept.push(m.samples);
        const events = session.accept(m.samples, sampleRate);
        if (events.length > 0) post({ type: 'live', events });
        return;
      }
      const events = session.end();
      if (events.length > 0) post({ type: 'live', events });
      const all = keepAudio ? concat(kept) : undefined;
      close({ type: 'live-ended', sampleRate, ...(all ? { audio: all } : {}) }, all ? [all.buffer] : []);
    } catch (err) {
      close({ type: 'live-failed', message: err instanceof Error ? err.message : String(err) });
    }
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
