import { closeSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/** Options of {@link writeChunksAtomic}. */
export interface AtomicWriteOptions {
  /** Flush the data to the disk before the rename (checkpoints, models: a crash then leaves the old file or the whole new one). */
  fsync?: boolean;
}

/**
 * Writes `chunks` to `path` atomically: into a temporary file beside it, then a rename, so
 * that a reader (or a crash) never sees a half-written file. Creates missing folders. A
 * symbolic link is followed (the file it names is replaced, the link stays), and a path
 * that is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written to directly:
 * a rename would put a plain file in its place (as root, even over `/dev/null`). Errors
 * name the path.
 */
export function writeChunksAtomic(path: string, chunks: Iterable<string | Uint8Array>, options: AtomicWriteOptions = {}): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) {
    writeTo(path, path, chunks, false);
    return;
  }
  const target = existing ? realpathSync(path) : path;
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${counter++}.tmp`);
  try {
    writeTo(path, tmp, chunks, options.fsync ?? false);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw cannotWrite(path, err);
  }
}

/** {@link writeChunksAtomic} of one string or byte array. */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  writeChunksAtomic(path, [data], options);
}

// Node's message names only the syscall ("ENOSPC: no space left on device, write").
function cannotWrite(path: string, err: unknown): Error {
  return new Error(`${path}: cannot write (${err instanceof Error ? err.message : String(err)})`, { cause: err });
}

function writeTo(path: string, file: string, chunks: Iterable<string | Uint8Array>, fsync: boolean): void {
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (err) {
    throw cannotWrite(path, err);
  }
  try {
    for (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
    }
    if (fsync) fsyncSync(fd);
  } catch (err) {
    throw cannotWrite(path, err);
  } finally {
    closeSync(fd);
  }
}
