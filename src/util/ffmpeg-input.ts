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

/** A path ffmpeg can open and seek holding `bytes` (or `path` itself when it is a regular file), and how to clean up after. */
export function ffmpegInput(bytes: Uint8Array, path?: string): { path: string; done: () => void } {
  if (path !== undefined && isRegularFile(path)) return { path, done: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'sayre-ffmpeg-'));
  const copy = join(dir, 'input');
  writeFileSync(copy, bytes);
  return { path: copy, done: () => rmSync(dir, { recursive: true, force: true }) };
}
