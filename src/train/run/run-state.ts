/**
 * The commit point of a training run: state.json names the checkpoint to resume from and
 * where in the run it was taken. A checkpoint file is written first, then state.json is
 * replaced atomically, then the older checkpoint is deleted; so a crash at any moment
 * (kill -9 included) leaves a state.json naming a complete checkpoint.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { readJsonFile } from '../../util/read-json.js';

/** What state.json holds. */
export interface RunState {
  version: 1;
  /** Checkpoint file (in the run directory) to resume from. */
  checkpoint: string;
  /** Sequence number of that checkpoint (names the next one). */
  sequence: number;
  /** The epoch to continue, and the batches of it already trained on. */
  epoch: number;
  batchIndex: number;
  /** 1: no weight noise; 2: weight noise, from the best phase-1 weights. */
  phase: 1 | 2;
  /** batchPlanFingerprint of the training set's batching. */
  fingerprint: string;
  /** Length of the training log at the checkpoint (a resumed run cuts the log back to it). */
  logBytes: number;
  /** Training seconds up to the checkpoint, over every session. */
  trainSeconds: number;
  /** Set once the run has finished; why it stopped. */
  finished: string | null;
}

export const STATE_FILE = 'state.json';

/** The run's state, or null when the directory holds no run yet. */
export function readRunState(dir: string): RunState | null {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return null;
  const s = readJsonFile(path, 'run state') as RunState | null;
  if (!s || typeof s !== 'object' || s.version !== 1 || typeof s.checkpoint !== 'string') throw new Error(`${path}: not a sayre run state`);
  return s;
}

export function writeRunState(dir: string, state: RunState): void {
  writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
}
