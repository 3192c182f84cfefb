/**
 * The server's stream engine: one or more live-stream threads (stream-worker.ts), each with
 * its own copy of the model and a scheduler that decodes its streams in batches. A new
 * stream goes to the thread holding the fewest. A thread that dies fails its streams and is
 * replaced.
 */
import type { Worker } from 'node:worker_threads';
import { spawnThread, startThreads } from './spawn-thread.js';
import { HttpError } from './http-error.js';
import type { RecognizerSetup } from './recognizer-setup.js';
import type { EngineStream, StreamEngine, StreamListener } from './stream-engine.js';
import type { StreamCommand, StreamReply } from './stream-worker.js';
import type { StreamUpdate } from './stream-scheduler.js';

const WORKER_URL = new URL('./stream-worker.js', import.meta.url);

interface Started {
  worker: Worker;
  model: string;
  streaming: boolean;
  backend: string;
}

/** Starts a stream thread and waits until its model is loaded. */
async function spawn(setup: RecognizerSetup, kernelThreads: number | undefined): Promise<Started> {
  const { worker, ready } = await spawnThread<Extract<StreamReply, { type: 'ready' }>>(WORKER_URL, setup, 'stream thread', kernelThreads);
  return { worker, model: ready.model, streaming: ready.streaming, backend: ready.backend };
}

/** A stream thread and the listeners of the streams it holds. */
class Thread {
  readonly listeners = new Map<number, StreamListener>();
  dead = false;
  constructor(readonly worker: Worker) {}
  post(c: StreamCommand, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(c, transfer);
  }
}

export class StreamWorkerEngine implements StreamEngine {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly setup: RecognizerSetup, private readonly kernelThreads: number | undefined, readonly model: string, readonly streaming: boolean, readonly backend: string) {}

  /** Starts `threads` stream threads; rejects (saying why) if the model or LM cannot be loaded. */
  static async create(setup: RecognizerSetup, threads = 1): Promise<StreamWorkerEngine> {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`stream threads must be a positive integer, got ${threads}`);
    const { started, kernelThreads } = await startThreads(threads, (k) => spawn(setup, k));
    const engine = new StreamWorkerEngine(setup, kernelThreads, started[0]!.model, started[0]!.streaming, started[0]!.backend);
    started.forEach((s, i) => engine.adopt(s.worker, i));
    return engine;
  }

  get openStreams(): number {
    return this.threads.reduce((n, t) => n + t.listeners.size, 0);
  }

  private adopt(worker: Worker, at: number): void {
    const thread = new Thread(worker);
    worker.on('message', (m: StreamReply) => {
      if (m.type === 'updates') for (const u of m.updates) deliver(thread, u);
    });
    const lost = (why: string): void => this.replace(thread, why);
    worker.on('error', (err) => lost(`the stream thread failed: ${err.message}`));
    worker.on('exit', (code) => lost(`the stream thread exited (code ${code})`));
    this.threads[at] = thread;
  }

  /** A dead thread: its streams end with `why`, and a fresh thread takes its place. */
  private replace(thread: Thread, why: string): void {
    const at = this.threads.indexOf(thread);
    if (at < 0 || thread.dead) return;
    thread.dead = true;
    for (const l of thread.listeners.values()) l.onEnd(why);
    thread.listeners.clear();
    void thread.worker.terminate();
    if (this.closed) return;
    spawn(this.setup, this.kernelThreads).then(
      ({ worker }) => {
        if (this.closed) void worker.terminate();
        else this.adopt(worker, at);
      },
      () => { /* the model loaded before; a failed restart leaves the dead thread in place, refusing nothing but failing its streams */ },
    );
  }

  open(sampleRate: number, listener: StreamListener): EngineStream {
    const live = this.threads.filter((t) => !t.dead);
    if (this.closed || live.length === 0) throw new HttpError(503, this.closed ? 'server shutting down' : 'no stream thread is running (one failed and is being restarted); retry later', { 'Retry-After': '1' });
    const thread = live.reduce((a, b) => (b.listeners.size < a.listeners.size ? b : a));
    const id = this.nextId++;
    thread.listeners.set(id, listener);
    thread.post({ type: 'open', id, rate: sampleRate });
    let ended = false;
    return {
      push: (samples) => {
        if (ended || samples.length === 0) return;
        thread.post({ type: 'audio', id, samples }, [samples.buffer as ArrayBuffer]);
      },
      end: (reason) => {
        if (ended) return;
        ended = true;
        thread.post({ type: 'end', id, ...(reason ? { reason } : {}) });
      },
      drop: () => {
        ended = true;
        thread.post({ type: 'drop', id });
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.threads) {
      t.dead = true;
      for (const l of t.listeners.values()) l.onEnd('the server stopped');
      t.listeners.clear();
    }
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

function deliver(thread: Thread, u: StreamUpdate): void {
  const l = thread.listeners.get(u.id);
  if (!l) return;
  if (u.events.length > 0 || !u.done) l.onEvents(u.events, u.consumed);
  if (u.done) {
    thread.listeners.delete(u.id);
    l.onEnd(u.error);
  }
}
