/**
 * Reading a whole file with a bound on its size: a regular file is checked from its size
 * before a byte is read; anything else (a pipe, /dev/zero, a FIFO) is read in pieces and
 * refused as soon as it passes the stream limit, so an endless file costs a bounded read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkLimit, limits } from './limits.js';

/** The bytes of `path`; errors name it (`what` says what it was read as, e.g. "WAV file"). */
export function readFileBounded(path: string, what = 'file'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new Error(`${path}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new Error(`${path}: cannot read ${what}: it is a directory`);
    if (st.isFile()) {
      checkLimit(path, 'maxFileBytes', st.size, `${what} size in bytes`);
      const out = Buffer.allocUnsafe(st.size);
      let done = 0;
      while (done < st.size) {
        const n = readSync(fd, out, done, st.size - done, null);
        if (n === 0) break; // shrank while read
        done += n;
      }
      return done === st.size ? out : out.subarray(0, done);
    }
    const cap = limits().maxStreamBytes;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, cap + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      checkLimit(path, 'maxStreamBytes', total, `${what}, not a regular file, bytes read`);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith(`${path}:`)) throw err;
    throw new Error(`${path}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Standard input read to its end, bounded as any stream (maxStreamBytes); errors name it
 * `-`. Read asynchronously: a non-blocking stdin pipe refuses synchronous reads.
 */
export async function readStdinBounded(what = 'standard input'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    checkLimit('-', 'maxStreamBytes', total, `${what}, bytes read`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
