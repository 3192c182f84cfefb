/**
 * The server's engine: recogniser threads (node:worker_threads), each with its own copy
 * of the model. A cancelled job's thread is terminated (a transcription cannot be
 * interrupted otherwise) and a fresh one takes its place.
 */
import type { Worker } from 'node:worker_threads';
import { spawnThread, startThreads } from './spawn-thread.js';
import type { Engine, RunningJob, TranscribeJob } from './engine.js';
import type { RecognizerSetup } from './recognizer-setup.js';
import type { JobMessage, WorkerReply } from './recognizer-worker.js';
import type { TranscriptionJson } from '../recognizer/transcription-json.js';

interface Pending {
  resolve: (r: TranscriptionJson) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  pending?: { id: number } & Pending;
}

const WORKER_URL = new URL('./recognizer-worker.js', import.meta.url);

/** Starts a worker and waits until its model is loaded. */
async function spawn(setup: RecognizerSetup, kernelThreads: number | undefined): Promise<{ worker: Worker; model: string; decoder: 'greedy' | 'beam'; backend: string }> {
  const { worker, ready } = await spawnThread<Extract<WorkerReply, { type: 'ready' }>>(WORKER_URL, setup, 'recogniser thread', kernelThreads);
  return { worker, model: ready.model, decoder: ready.decoder, backend: ready.backend };
}

export class WorkerEngine implements Engine {
  private readonly slotsList: Slot[] = [];
  private nextId = 1;
  private closed = false;

  /**
   * @param backend The compute backend each thread uses, with its thread count ('native x2').
   */
  private constructor(private readonly setup: RecognizerSetup, private readonly kernelThreads: number | undefined, readonly model: string, readonly decoder: 'greedy' | 'beam', readonly backend: string) {}

  /** Starts `threads` recogniser threads; rejects (saying why) if the model or LM cannot be loaded. */
  static async create(setup: RecognizerSetup, threads = 1): Promise<WorkerEngine> {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`workers must be a positive integer, got ${threads}`);
    const { started, kernelThreads } = await startThreads(threads, (k) => spawn(setup, k));
    const engine = new WorkerEngine(setup, kernelThreads, started[0]!.model, started[0]!.decoder, started[0]!.backend);
    for (const s of started) engine.adopt(s.worker);
    return engine;
  }

  get slots(): number {
    return this.slotsList.length;
  }

  private adopt(worker: Worker, at = this.slotsList.length): Slot {
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: WorkerReply) => {
      const p = slot.pending;
      if (!p || (m.type !== 'done' && m.type !== 'error') || m.id !== p.id) return;
      slot.pending = undefined;
      slot.busy = false;
      if (m.type === 'done') p.resolve(m.result);
      else p.reject(new Error(m.message));
    });
    worker.on('error', (err) => this.replace(slot, err));
    this.slotsList[at] = slot;
    return slot;
  }

  /** Replaces a slot's thread (cancelled or crashed); its job, if any, fails with `err`. */
  private replace(slot: Slot, err: Error): void {
    const at = this.slotsList.indexOf(slot);
    if (at < 0) return;
    slot.pending?.reject(err);
    slot.pending = undefined;
    void slot.worker.terminate();
    // Busy until the new thread is ready, so that no job lands on a dead one.
    slot.busy = true;
    if (this.closed) return;
    spawn(this.setup, this.kernelThreads).then(
      ({ worker }) => {
        if (this.closed) void worker.terminate();
        else this.adopt(worker, at);
      },
      () => { /* the model loaded before; a failed restart leaves the slot busy */ },
    );
  }

  start(job: TranscribeJob): RunningJob {
    const slot = this.slotsList.find((s) => !s.busy);
    if (!slot) throw new Error('WorkerEngine: every recogniser thread is busy');
    const id = this.nextId++;
    const msg: JobMessage = { id, samples: job.samples, sampleRate: job.sampleRate };
    // An empty buffer may be one already transferred (detached): in a transfer list it would
    // be dropped without a word and the job would never finish; cloned, it throws.
    const buffer = job.samples.buffer as ArrayBuffer;
    try {
      slot.worker.postMessage(msg, buffer.byteLength > 0 ? [buffer] : []);
    } catch (err) {
      throw new Error(`WorkerEngine: cannot send the samples to a recogniser thread (${err instanceof Error ? err.message : String(err)}); samples are transferred, so each job needs its own array`);
    }
    slot.busy = true;
    const result = new Promise<TranscriptionJson>((resolve, reject) => {
      slot.pending = { id, resolve, reject };
    });
    return { result, cancel: () => { if (slot.pending?.id === id) this.replace(slot, new Error('cancelled')); } };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slotsList.map((s) => s.worker.terminate()));
  }
}
