/**
 * Tidying a run directory when a session ends: checkpoints that state.json no longer names
 * (superseded ones a crash left behind) and the temporary files of writes that a killed
 * process never finished (`.ckpt-3.safetensors.<pid>.<n>.tmp`). Only files of those two
 * shapes are touched; the checkpoint state.json names is always kept.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../model/io/model-dir.js';

const CHECKPOINT = /^ckpt-\d+\.safetensors$/;
const TEMPORARY = /^\..+\.(\d+)\.\d+\.tmp$/;

/** Removes from `dir` every checkpoint but `keep`, and the temporary files of this process or of dead ones; returns the names removed. */
export function cleanRunDir(dir: string, keep: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const tmp = TEMPORARY.exec(name);
    const stale = tmp ? Number(tmp[1]) === process.pid || !processAlive(Number(tmp[1])) : CHECKPOINT.test(name) && name !== keep;
    if (!stale) continue;
    rmSync(join(dir, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}
