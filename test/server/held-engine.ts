/** A stand-in engine for server tests: its jobs finish only when the test releases them. */
import type { Engine, RunningJob, TranscribeJob } from '../../src/server/engine.js';
import type { TranscriptionJson } from '../../src/recognizer/transcription-json.js';

/** An engine whose jobs finish only when the test releases them. */
export class HeldEngine implements Engine {
  readonly model = 'held';
  readonly decoder = 'greedy';
  readonly held: { job: TranscribeJob; finish: () => void; cancelled: boolean }[] = [];
  constructor(readonly slots: number) {}
  start(job: TranscribeJob): RunningJob {
    let finish!: () => void;
    const entry = { job, finish: () => finish(), cancelled: false };
    const result = new Promise<TranscriptionJson>((resolve) => {
      finish = () => resolve({ text: `${job.samples.length} samples`, words: [], confidence: 1, duration: job.samples.length / job.sampleRate, model: this.model, decoder: 'greedy' });
    });
    this.held.push(entry);
    return { result, cancel: () => { entry.cancelled = true; } };
  }
  async close(): Promise<void> {}
}

