/**
 * The demo page (web/index.html): drop a WAV file, pick a sample or record from the
 * microphone; the page transcribes it with the WASM backend, entirely client-side, and
 * shows the text, the words with their times, and the output matrix with the best path.
 */
import { decodeWav } from '../audio/wav-read.js';
import { decodeUtterance, outputLabels, type TranscriptionJson } from '../server/transcription.js';
import { type BrowserRecognizer, loadBrowserRecognizer } from './load-recognizer.js';
import { drawOutputMatrix } from './output-matrix.js';

/** What the page exposes for tests and the curious: window.sayreDemo. */
export interface DemoHandle {
  ready: Promise<BrowserRecognizer>;
  /** The last transcription, or undefined. */
  last?: TranscriptionJson & { milliseconds: number };
  transcribeBytes(bytes: Uint8Array, name: string): Promise<TranscriptionJson>;
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

/** The model's name: from the page, else from `sayre serve`'s /health, else from its URL. */
async function modelName(): Promise<string | undefined> {
  if (document.body.dataset['modelName']) return document.body.dataset['modelName'];
  try {
    const res = await fetch(new URL('/health', location.href));
    return res.ok ? ((await res.json()) as { model?: string }).model : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const modelUrl = new URL(document.body.dataset['model'] ?? '/model/', location.href);
  setState('loading', 'Loading the model…');
  const ready = modelName().then((name) => loadBrowserRecognizer(modelUrl, name));
  const handle: DemoHandle = {
    ready,
    transcribeBytes: async (bytes, name) => {
      const br = await ready;
      setState('busy', `Transcribing ${name}…`);
      try {
        const audio = isWav(bytes) ? decodeWav(bytes, name) : await decodeWithBrowser(bytes);
        // Let the status paint before the (synchronous) recognition starts.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t0 = performance.now();
        const d = decodeUtterance(br.rec, audio.samples, audio.sampleRate, br.name);
        const ms = performance.now() - t0;
        handle.last = { ...d.result, milliseconds: ms };
        showResult(d.result, ms);
        const canvas = $<HTMLCanvasElement>('matrix');
        drawOutputMatrix(canvas, d.logits, d.frames, d.classes, outputLabels(br.rec), br.rec.secondsPerFrame, Math.min(1100, canvas.parentElement!.clientWidth));
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
    const br = await ready;
    const threads = br.backend.threads;
    $('engine').textContent = `model ${br.name} · WASM ${br.backend.simd} SIMD · ${threads} thread${threads > 1 ? 's' : ''} · ${br.isolated ? 'cross-origin isolated' : 'not cross-origin isolated'}`;
    setState('ready', 'Ready: drop a WAV file, pick a sample, or record.');
  } catch (err) {
    setState('error', `Could not load the model: ${err instanceof Error ? err.message : String(err)}`);
  }
}

void main();
