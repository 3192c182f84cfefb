import { execFileSync } from 'node:child_process';

/** Whether `cmd args` runs and exits 0 here (tests that need a TTS engine or sox skip without one). */
export function haveCommand(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
