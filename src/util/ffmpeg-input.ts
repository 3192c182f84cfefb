/**
 * What ffmpeg reads when sayre hands it a file it does not decode itself: the file's own
 * path when it is a regular file, else a private temporary copy of its bytes (a pipe or
 * /dev/stdin has been read to its end already, and MP4 audio or TIFF images need to seek,
 * which ffmpeg cannot do on a pipe). Node only.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when `path` names a regular file (not a pipe, device or directory). */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What ffmpeg reads: a path it can open and seek, how to clean up after, and its complaint when it fails. */
export interface FfmpegInput {
  path: string;
  done: () => void;
  /**
   * ffmpeg's first complaint in `stderr` (what is wrong; its last lines are about its own
   * filters), without the decoder's address and with `name` for a temporary copy's path; '' when silent.
   */
  complaint: (stderr: string, name: string) => string;
}

/** An {@link FfmpegInput} holding `bytes` (or `path` itself when it is a regular file). */
export function ffmpegInput(bytes: Uint8Array, path?: string): FfmpegInput {
  const complaint = (at: string) => (stderr: string, name: string): string =>
    (stderr.trim().split('\n')[0] ?? '').replace(/^\[[^\]]* @ 0x[0-9a-f]+\] /, '').replaceAll(at, name);
  if (path !== undefined && isRegularFile(path)) return { path, done: () => {}, complaint: complaint(path) };
  const dir = mkdtempSync(join(tmpdir(), 'sayre-ffmpeg-'));
  const copy = join(dir, 'input');
  writeFileSync(copy, bytes);
  return { path: copy, done: () => rmSync(dir, { recursive: true, force: true }), complaint: complaint(copy) };
}
