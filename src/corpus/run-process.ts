import { spawn } from 'node:child_process';

/** Output of a finished child process. */
export interface ProcessResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd args` without a shell (so text arguments need no quoting), optionally feeding
 * `input` on stdin, and resolves with its output; rejects with the command and its stderr
 * when it cannot start or exits non-zero.
 */
export function runProcess(cmd: string, args: readonly string[], input?: string): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    // detached: a Ctrl-C at the terminal stops the build (which lets running jobs finish),
    // not the engines mid-utterance.
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (err) => reject(new Error(`${cmd}: cannot run: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new Error(`${cmd} ${args.map((a) => JSON.stringify(a)).join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.on('error', () => { /* the process may exit before reading stdin; 'close' reports it */ });
    child.stdin.end(input ?? '');
  });
}
