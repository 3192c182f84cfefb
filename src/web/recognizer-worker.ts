/**
 * The demo page's recogniser, in a module worker: recognition never freezes the page, and
 * a worker (unlike a page's main thread) may block, so where the page is cross-origin
 * isolated the WASM backend runs its kernels on several threads. It transcribes files, and
 * runs live captions' streams (src/web/live-stream.ts). Files go through WebGPU where the
 * browser has an adapter (load-recognizer.ts), live captions through WASM, with the
 * server's streaming model where it serves one.
 */
import { decodeWav } from '../audio/wav-read.js';
import { decodeUtteranceAsync, outputLabels } from '../recognizer/transcription-json.js';
import { runLiveStream } from './live-stream.js';
import { type BrowserRecognizer, loadBrowserRecognizer } from './load-recognizer.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const post = (m: FromWorker, transfer: Transferable[] = []): void => globalThis.postMessage(m, { transfer });
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
let loaded: Promise<BrowserRecognizer> | undefined;

globalThis.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'load') {
    const live = m.liveModelUrl ? { url: new URL(m.liveModelUrl), ...(m.liveName ? { name: m.liveName } : {}) } : undefined;
    loaded = loadBrowserRecognizer(new URL(m.modelUrl), m.name, m.backend ?? 'auto', live);
    loaded.then(
      (br) => post({ type: 'ready', name: br.name, liveName: br.liveName, engine: br.engine, simd: br.wasm.simd, threads: br.wasm.threads, isolated: br.isolated }),
      (err: unknown) => post({ type: 'failed', message: message(err) }),
    );
    return;
  }
  if (m.type === 'live-start') {
    if (!loaded) return post({ type: 'live-failed', message: 'no model loaded' });
    loaded.then(
      (br) => runLiveStream(br.live, m.audio, m.sampleRate, m.keepAudio ?? false, post),
      (err: unknown) => post({ type: 'live-failed', message: `no model: ${message(err)}` }),
    );
    return;
  }
  void (async () => {
    try {
      if (!loaded) throw new Error('no model loaded');
      const br = await loaded;
      const audio = m.bytes ? decodeWav(m.bytes, m.name) : { samples: m.samples!, sampleRate: m.sampleRate! };
      const t0 = performance.now();
      const d = await decodeUtteranceAsync(br.rec, audio.samples, audio.sampleRate, br.name);
      const milliseconds = performance.now() - t0;
      const logits = d.logits.slice(); // its own buffer (the model's may live in WASM memory, or be a device array's staging copy)
      post({
        type: 'done', id: m.id, result: d.result, milliseconds, logits, frames: d.frames, classes: d.classes,
        labels: outputLabels(br.rec), secondsPerFrame: br.rec.secondsPerFrame,
      }, [logits.buffer]);
    } catch (err) {
      post({ type: 'error', id: m.id, message: message(err) });
    }
  })();
});
