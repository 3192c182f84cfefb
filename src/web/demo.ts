/**
 * The demo page (web/index.html): drop an audio file (WAV read as the library reads it,
 * other formats through the browser's decodeAudioData), pick a sample or record from the
 * microphone; a worker transcribes it entirely client-side, on WebGPU where the browser
 * has an adapter and on the WASM backend otherwise (`?backend=wasm` or `?backend=webgpu`
 * in the page's URL chooses), and
 * the page shows the text, the words with their times, and the output matrix with the
 * best path. Live captions (src/web/live-captions.ts) stream the microphone to the same worker.
 */
import type { TranscriptionJson } from '../recognizer/transcription-json.js';
import { LiveCaptions } from './live-captions.js';
import { drawOutputMatrix } from './output-matrix.js';
import type { BrowserBackendChoice } from './load-recognizer.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** What the page exposes for tests and the curious: window.sayreDemo. */
export interface DemoHandle {
  /** Resolves with the worker's facts once the model is loaded. */
  ready: Promise<Extract<FromWorker, { type: 'ready' }>>;
  /** The last transcription, or undefined. */
  last?: TranscriptionJson & { milliseconds: number };
  transcribeBytes(bytes: Uint8Array, name: string): Promise<TranscriptionJson>;
  /** Live captions from the microphone. */
  live: LiveCaptions;
}
const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo page: no #${id}`);
  return el as T;
};

function setState(state: 'loading' | 'ready' | 'busy' | 'done' | 'error', message: string): void {
  document.body.dataset['state'] = state;
  $('status').textContent = message;
}

/** Mono samples of any audio file the browser decodes (recordings, MP3...), at its own rate. */
async function decodeWithBrowser(bytes: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number }> {
  const ctx = new AudioContext();
  try {
    const buf = await ctx.decodeAudioData(bytes.slice().buffer);
    const mono = new Float32Array(buf.length);
    for (let ch = 0; ch < buf.numberOfChannels; ch++) {
      const d = buf.getChannelData(ch);
      for (let i = 0; i < mono.length; i++) mono[i]! += d[i]! / buf.numberOfChannels;
    }
    return { samples: mono, sampleRate: buf.sampleRate };
  } finally {
    void ctx.close();
  }
}

const isWav = (b: Uint8Array): boolean => b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WAVE';

function showResult(r: TranscriptionJson, ms: number): void {
  $('transcript').textContent = r.text || '(nothing recognised)';
  const words = $('words');
  words.replaceChildren(...r.words.map((w) => {
    const chip = document.createElement('span');
    chip.className = 'word';
    chip.style.setProperty('--conf', String(w.confidence));
    chip.title = `confidence ${(w.confidence * 100).toFixed(0)}%`;
    const text = document.createElement('b');
    text.textContent = w.word;
    const time = document.createElement('small');
    time.textContent = `${w.start.toFixed(2)}–${w.end.toFixed(2)} s`;
    chip.append(text, time);
    return chip;
  }));
  $('summary').textContent = `${r.duration.toFixed(2)} s of audio in ${ms.toFixed(0)} ms · confidence ${(r.confidence * 100).toFixed(0)}% · model ${r.model}`;
  $('results').hidden = false;
}

/** What `sayre serve`'s /health says of the models: the page's model's name, and where the live captions' model is. */
interface ServerModels {
  model?: string;
  streamModel?: { model: string; url: string };
}

/** /health's answer, or nothing where the page is served by something else. */
async function serverModels(): Promise<ServerModels> {
  try {
    const res = await fetch(new URL('/health', location.href));
    return res.ok ? ((await res.json()) as ServerModels) : {};
  } catch {
    return {};
  }
}

/**
 * The 'load' message: the model from the page (data-model, data-model-name) or the
 * server's name for it; live captions on the server's streaming model where it serves one
 * at another URL than the page's model.
 */
async function loadMessage(modelUrl: URL, backend: BrowserBackendChoice): Promise<ToWorker> {
  const server = await serverModels();
  const name = document.body.dataset['modelName'] ?? server.model;
  const live = server.streamModel ? new URL(server.streamModel.url, location.href) : undefined;
  return {
    type: 'load', modelUrl: modelUrl.href, backend, ...(name ? { name } : {}),
    ...(live && live.href !== modelUrl.href ? { liveModelUrl: live.href, liveName: server.streamModel!.model } : {}),
  };
}

async function main(): Promise<void> {
  setState('loading', 'Loading the model…');
  const worker = new Worker(new URL('./recognizer-worker.js', import.meta.url), { type: 'module' });
  const send = (m: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(m, { transfer });
  const waiting = new Map<number, { resolve: (m: Extract<FromWorker, { type: 'done' }>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'ready') return resolve(m);
      if (m.type === 'failed') return reject(new Error(m.message));
      if (m.type !== 'done' && m.type !== 'error') return; // live captions' messages: LiveCaptions takes them
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.type === 'done') w?.resolve(m);
      else w?.reject(new Error(m.message));
    });
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'the recogniser worker failed to start')));
  });
  const modelUrl = new URL(document.body.dataset['model'] ?? '/model/', location.href);
  const backend = backendChoice(new URLSearchParams(location.search).get('backend'));
  void loadMessage(modelUrl, backend).then(send);

  const handle: DemoHandle = {
    ready,
    live: new LiveCaptions(worker, { button: $('live'), status: $('live-status'), finals: $('finals'), partial: $('partial') }),
    transcribeBytes: async (bytes, name) => {
      await ready;
      setState('busy', `Transcribing ${name}…`);
      try {
        const id = nextId++;
        const done = new Promise<Extract<FromWorker, { type: 'done' }>>((resolve, reject) => waiting.set(id, { resolve, reject }));
        if (isWav(bytes)) {
          send({ type: 'transcribe', id, name, bytes: bytes.slice() });
        } else {
          const audio = await decodeWithBrowser(bytes);
          send({ type: 'transcribe', id, name, samples: audio.samples, sampleRate: audio.sampleRate }, [audio.samples.buffer]);
        }
        const d = await done;
        handle.last = { ...d.result, milliseconds: d.milliseconds };
        showResult(d.result, d.milliseconds);
        const canvas = $<HTMLCanvasElement>('matrix');
        drawOutputMatrix(canvas, d.logits, d.frames, d.classes, d.labels, d.secondsPerFrame, Math.min(1100, canvas.parentElement!.clientWidth));
        canvas.dataset['frames'] = String(d.frames);
        const player = $<HTMLAudioElement>('player');
        if (player.src) URL.revokeObjectURL(player.src);
        player.src = URL.createObjectURL(new Blob([bytes.slice()]));
        setState('done', `Transcribed ${name}.`);
        return d.result;
      } catch (err) {
        setState('error', `Could not transcribe ${name}: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    },
  };
  (globalThis as { sayreDemo?: DemoHandle }).sayreDemo = handle;
  const run = (bytes: Uint8Array, name: string): void => void handle.transcribeBytes(bytes, name).catch(() => { /* shown in the status line */ });
  const runFile = async (file: File): Promise<void> => run(new Uint8Array(await file.arrayBuffer()), file.name);

  // Drop zone and file picker.
  const zone = $('drop');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void runFile(file);
  });
  const picker = $<HTMLInputElement>('file');
  picker.addEventListener('change', () => { if (picker.files?.[0]) void runFile(picker.files[0]); });

  // Samples shipped with the package.
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-sample]')) {
    b.addEventListener('click', async () => {
      const name = b.dataset['sample']!;
      const res = await fetch(new URL(`/samples/${name}`, location.href));
      run(new Uint8Array(await res.arrayBuffer()), name);
    });
  }

  // Microphone: record until stopped, then transcribe the recording.
  const rec = $<HTMLButtonElement>('record');
  let recorder: MediaRecorder | undefined;
  rec.addEventListener('click', async () => {
    if (recorder) return recorder.stop();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks: Blob[] = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = (e) => chunks.push(e.data);
      recorder.onstop = async () => {
        stream.getTracks().forEach((t) => t.stop());
        recorder = undefined;
        rec.textContent = '● Record';
        rec.classList.remove('recording');
        run(new Uint8Array(await new Blob(chunks).arrayBuffer()), 'your recording');
      };
      recorder.start();
      rec.textContent = '■ Stop';
      rec.classList.add('recording');
      setState('busy', 'Recording… press Stop when done.');
    } catch (err) {
      setState('error', `No microphone: ${err instanceof Error ? err.message : String(err)}`);
    }
  });

  try {
    const r = await ready;
    const wasm = `WASM ${r.simd} SIMD · ${r.threads} thread${r.threads > 1 ? 's' : ''} · ${r.isolated ? 'cross-origin isolated' : 'not cross-origin isolated (one thread)'}`;
    const live = r.liveName === r.name ? '' : ` · live captions with ${r.liveName}`;
    $('engine').textContent = r.engine.kind === 'webgpu'
      ? `model ${r.name} in a worker · files on WebGPU (${r.engine.adapter}) · live captions on ${wasm}${live}`
      : `model ${r.name} in a worker · ${wasm} (no WebGPU${backend === 'wasm' ? ': ?backend=wasm' : ' adapter'})${live}`;
    document.body.dataset['backend'] = r.engine.kind;
    document.body.dataset['liveModel'] = r.liveName;
    document.body.dataset['threads'] = String(r.threads);
    setState('ready', 'Ready: drop an audio file, pick a sample, or record.');
  } catch (err) {
    setState('error', `Could not load the model: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The page URL's `backend` parameter: 'wasm' or 'webgpu' forces one; anything else is 'auto'. */
function backendChoice(param: string | null): BrowserBackendChoice {
  return param === 'wasm' || param === 'webgpu' ? param : 'auto';
}

void main();
