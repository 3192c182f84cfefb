/**
 * A bounded queue in front of an engine: at most `engine.slots` jobs run and at most
 * `maxWaiting` wait; a job beyond that is refused at once (503 with Retry-After), so the
 * backlog never grows without bound. Every job has a deadline counted from its arrival:
 * past it, a waiting job leaves the queue and a running one is cancelled (504).
 */
import type { Engine, RunningJob, TranscribeJob } from './engine.js';
import { HttpError } from './http-error.js';
import type { TranscriptionJson } from '../recognizer/transcription-json.js';

interface Waiting {
  job: TranscribeJob;
  resolve: (r: TranscriptionJson) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  running?: RunningJob;
}

/** Counts for /health. */
export interface QueueStats {
  running: number;
  waiting: number;
  maxWaiting: number;
  slots: number;
  completed: number;
  rejected: number;
  timedOut: number;
}

export class WorkQueue {
  private readonly waiting: Waiting[] = [];
  private readonly running = new Set<Waiting>();
  private completed = 0;
  private rejected = 0;
  private timedOut = 0;
  /** Moving average of a job's run time (ms), for Retry-After. */
  private meanMs = 1000;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly engine: Engine, readonly maxWaiting: number, readonly timeoutMs: number) {
    if (!Number.isInteger(maxWaiting) || maxWaiting < 0) throw new Error(`queue: maxWaiting must be a non-negative integer, got ${maxWaiting}`);
    if (!(timeoutMs > 0)) throw new Error(`queue: timeout must be positive, got ${timeoutMs}`);
  }

  /** Whether a job submitted now would start at once. */
  get idle(): boolean {
    return this.running.size < this.engine.slots && this.waiting.length === 0;
  }

  stats(): QueueStats {
    return {
      running: this.running.size, waiting: this.waiting.length, maxWaiting: this.maxWaiting, slots: this.engine.slots,
      completed: this.completed, rejected: this.rejected, timedOut: this.timedOut,
    };
  }

  /** Seconds a refused client should wait before trying again (at least 1). */
  retryAfterSeconds(): number {
    const ahead = this.running.size + this.waiting.length;
    return Math.max(1, Math.ceil((ahead * this.meanMs) / this.engine.slots / 1000));
  }

  /**
   * Runs a job when a slot is free; rejects with an HttpError when the queue is full (503)
   * or the deadline passes (504): `timeoutMs` from now, by default the queue's timeout.
   */
  submit(job: TranscribeJob, timeoutMs = this.timeoutMs): Promise<TranscriptionJson> {
    if (this.running.size >= this.engine.slots && this.waiting.length >= this.maxWaiting) {
      this.rejected++;
      const after = this.retryAfterSeconds();
      return Promise.reject(new HttpError(503, `server busy: ${this.running.size} transcriptions running and ${this.waiting.length} waiting (the most allowed); retry after ${after} s`, { 'Retry-After': String(after) }));
    }
    return new Promise((resolve, reject) => {
      const w: Waiting = {
        job, resolve, reject,
        timer: setTimeout(() => this.expire(w), Math.max(0, timeoutMs)),
      };
      this.waiting.push(w);
      this.pump();
    });
  }

  private expire(w: Waiting): void {
    this.timedOut++;
    const i = this.waiting.indexOf(w);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.running.delete(w)) w.running?.cancel();
    w.reject(new HttpError(504, `transcription did not finish within ${this.timeoutMs} ms`));
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.engine.slots && this.waiting.length > 0) {
      const w = this.waiting.shift()!;
      try {
        w.running = this.engine.start(w.job);
      } catch {
        // A slot is being restarted (after a cancelled job): try again shortly.
        this.waiting.unshift(w);
        if (!this.retryTimer) this.retryTimer = setTimeout(() => { this.retryTimer = undefined; this.pump(); }, 50);
        return;
      }
      this.running.add(w);
      const began = Date.now();
      w.running.result.then(
        (r) => {
          if (!this.running.delete(w)) return; // timed out already
          clearTimeout(w.timer);
          this.completed++;
          this.meanMs = 0.8 * this.meanMs + 0.2 * (Date.now() - began);
          w.resolve(r);
          this.pump();
        },
        (err: unknown) => {
          if (!this.running.delete(w)) return;
          clearTimeout(w.timer);
          w.reject(err instanceof Error ? err : new Error(String(err)));
          this.pump();
        },
      );
    }
  }

  /** Refuses everything waiting (the server is closing). */
  drain(): void {
    clearTimeout(this.retryTimer);
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new HttpError(503, 'server shutting down'));
    }
  }
}
