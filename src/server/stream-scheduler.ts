/**
 * The live streams of one recogniser, decoded in batches: audio is queued per stream as it
 * arrives; a tick (at most every `minTickMs`, so that streams arriving close together share
 * it) takes every stream with a whole step of audio queued and decodes them together with
 * decodeSessions, round after round while streams have work, for at most `maxTickMs`.
 * Under load, ticks grow to hold more streams, which is where batching saves most.
 */
import type { Recognizer } from '../recognizer/recognizer.js';
import type { StreamOptions } from '../recognizer/recognizer-stream.js';
import { decodeSessions, type StreamEvent, StreamSession } from '../recognizer/stream-session.js';

/** What a tick produced for one stream. */
export interface StreamUpdate {
  id: number;
  events: StreamEvent[];
  /** Seconds of the stream's audio fed to the recogniser so far. */
  consumed: number;
  /** The stream is over (ended, dropped or failed). */
  done?: boolean;
  /** Why it failed, when it did. */
  error?: string;
}

interface Entry {
  session: StreamSession;
  rate: number;
  /** end() was called: finish once the whole steps queued are fed; the final's reason. */
  ending?: { reason: string | undefined };
}

export class StreamScheduler {
  private readonly entries = new Map<number, Entry>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastTick = -Infinity;

  /**
   * @param emit receives each tick's updates (one call per tick).
   * @param minTickMs least time between the starts of two ticks (default 20 ms).
   * @param maxTickMs a tick stops starting rounds after this long (default 50 ms); the next follows at once.
   */
  constructor(
    private readonly rec: Recognizer, private readonly options: StreamOptions, private readonly emit: (updates: StreamUpdate[]) => void,
    private readonly minTickMs = 20, private readonly maxTickMs = 50,
  ) {}

  /** Streams open. */
  get size(): number {
    return this.entries.size;
  }

  open(id: number, rate: number): void {
    if (this.entries.has(id)) throw new Error(`stream ${id} is already open`);
    this.entries.set(id, { session: new StreamSession(this.rec, this.options), rate });
  }

  push(id: number, samples: Float32Array): void {
    const e = this.entries.get(id);
    if (!e || e.ending) return; // dropped or ending: late audio is ignored
    e.session.push(samples, e.rate);
    if (e.session.ready) this.schedule();
  }

  /** No more audio for stream `id`: its queued audio is decoded, then its last final is emitted with done. */
  end(id: number, reason?: string): void {
    const e = this.entries.get(id);
    if (!e || e.ending) return;
    e.ending = { reason };
    this.schedule();
  }

  /** Forgets stream `id` at once (its client is gone); emits done. */
  drop(id: number): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.emit([{ id, events: [], consumed: e.session.fedSeconds, done: true }]);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.lastTick + this.minTickMs - performance.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.lastTick = performance.now();
    const updates = new Map<number, StreamUpdate>();
    const update = (id: number, e: Entry): StreamUpdate => {
      let u = updates.get(id);
      if (!u) updates.set(id, u = { id, events: [], consumed: 0 });
      u.consumed = e.session.fedSeconds;
      return u;
    };
    let ready = this.ready();
    while (ready.length > 0 && performance.now() - this.lastTick < this.maxTickMs) {
      try {
        const events = decodeSessions(ready.map(([, e]) => e.session));
        ready.forEach(([id, e], i) => { if (events[i]!.length > 0 || !updates.has(id)) update(id, e).events.push(...events[i]!); });
      } catch (err) {
        // Which stream's audio broke the batch cannot be told: every stream in it ends.
        for (const [id, e] of ready) Object.assign(update(id, e), { done: true, error: message(err) });
        for (const [id] of ready) this.entries.delete(id);
      }
      ready = this.ready();
    }
    for (const [id, e] of this.entries) {
      if (!e.ending || e.session.ready) continue;
      const u = update(id, e);
      try {
        u.events.push(...e.session.end(e.ending.reason, true));
      } catch (err) {
        u.error = message(err);
      }
      u.consumed = e.session.fedSeconds;
      u.done = true;
      this.entries.delete(id);
    }
    if (updates.size > 0) this.emit([...updates.values()]);
    if (this.ready().length > 0) this.timer = setTimeout(() => this.tick(), 0);
  }

  private ready(): [number, Entry][] {
    return [...this.entries].filter(([, e]) => e.session.ready);
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
