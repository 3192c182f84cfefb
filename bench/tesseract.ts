/**
 * tesseract-ocr 5, the text-line benches' peer: one line image at a time (`--psm 7 -l eng`),
 * one thread, its output with whitespace collapsed as sayre's is compared.
 */
import { execFileSync } from 'node:child_process';

/** What the benches say of how tesseract ran. */
export const TESSERACT_DECODING = 'tesseract --psm 7 -l eng (one thread)';

/** Whitespace collapsed, as both systems' outputs are compared. */
export const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Why tesseract cannot run here, or undefined where it can. */
export function tesseractMissing(): string | undefined {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch (err) {
    return `${(err as Error).message.split('\n')[0]}; apt-get install tesseract-ocr`;
  }
}

/** tesseract's reading of the line image file at `path`. */
export function tesseractRead(path: string): string {
  return clean(execFileSync('tesseract', [path, 'stdout', '--psm', '7', '-l', 'eng'], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  }));
}
