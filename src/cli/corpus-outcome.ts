/**
 * How a corpus build ends, for `sayre corpus tts` and `sayre corpus lines` alike. A few
 * items that fail every time (a font that cannot draw a line, an engine that crashes on one
 * sentence) must not make a resumable recipe stop forever: up to `--max-failed` of them are
 * left out with a warning (a rerun retries them); more, or an interrupted build, is an error.
 */
import { Option } from 'commander';
import { num } from './number-option.js';

/** Default share of items that may fail and be left out. */
export const DEFAULT_MAX_FAILED = 0.002;

/** The `--max-failed <share>` option of the corpus commands (`.addOption(maxFailedOption())`). */
export function maxFailedOption(): Option {
  return new Option('--max-failed <share>', 'share of items that may fail and be left out of the manifests (a rerun retries them)')
    .argParser(num('--max-failed', (v) => v >= 0 && v <= 1)).default(DEFAULT_MAX_FAILED);
}

/** Counts of a finished (or stopped) build. */
export interface CorpusCounts {
  done: number;
  total: number;
  failed: number;
}

/** The exit code of a build (0, 1, or 130 when stopped by a signal), after printing what is wrong to stderr. */
export function corpusExitCode(p: CorpusCounts, aborted: boolean, maxFailed: number, unit: string): number {
  if (aborted || p.done < p.total) {
    console.error(`sayre: corpus incomplete (${p.done} of ${p.total} done, ${p.failed} failed); rerun the same command to resume`);
    return aborted ? 130 : 1;
  }
  if (p.failed === 0) return 0;
  if (p.failed > maxFailed * p.total) {
    console.error(`sayre: corpus incomplete: ${p.failed} of ${p.total} ${unit} failed (more than --max-failed ${maxFailed}); see the messages above, then rerun the same command to retry them`);
    return 1;
  }
  console.error(`sayre: warning: ${p.failed} of ${p.total} ${unit} failed and are left out (within --max-failed ${maxFailed}); a rerun retries them`);
  return 0;
}
