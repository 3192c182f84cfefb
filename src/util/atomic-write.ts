import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/**
 * Writes `data` to `path` atomically: into a temporary file beside it, then a rename, so
 * that a reader (or a crash) never sees a half-written file. Creates missing folders.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    // Node's message names only the syscall ("ENOSPC: no space left on device, write").
    throw new Error(`${path}: cannot write (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
