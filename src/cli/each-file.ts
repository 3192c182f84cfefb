/** Running a command over many input files: a bad one is reported on stderr and the rest still run. */

import { readStdinBounded } from '../util/read-bounded.js';

/** What to read for an input file argument: its path, or for `-` standard input's bytes (read to its end, once). */
export async function inputSource(file: string): Promise<string | Uint8Array> {
  return file === '-' ? readStdinBounded() : file;
}

/**
 * Calls `fn` for each of `files`; a file whose call throws is reported on stderr (the error
 * names it) and skipped. When any failed, the process exits non-zero once all have run.
 */
export async function eachFile(files: readonly string[], fn: (file: string) => void | Promise<void>): Promise<void> {
  let failed = 0;
  for (const file of files) {
    try {
      await fn(file);
    } catch (err) {
      failed++;
      const message = err instanceof Error ? err.message : String(err);
      console.error(`sayre: ${message.includes(file) ? message : `${file}: ${message}`}`);
    }
  }
  if (failed > 0) {
    if (files.length > 1) console.error(`sayre: ${failed} of ${files.length} files failed`);
    process.exitCode = 1;
  }
}
