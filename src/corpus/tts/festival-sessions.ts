/**
 * Long-running `festival --pipe` processes, one per parallel job: festival takes about half
 * a second to start and load a voice, several times longer than it takes to speak a
 * sentence, so text2wave per utterance would make festival the slowest engine by far.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Prosody of one festival utterance. */
export interface FestivalProsody {
  /** Duration stretch (> 1 is slower). */
  stretch: number;
  /** F0 mean scaled by this factor. */
  f0: number;
  /** F0 range (standard deviation) scaled by this factor. */
  f0Range: number;
}

/** Scales the selected voice's intonation targets (every voice sayre uses has int_lr_params). */
const SCALE_F0 = `(define (sayre_scale_f0 k r)
  (set! int_lr_params (list
    (list 'target_f0_mean (* k (cadr (assoc 'target_f0_mean int_lr_params))))
    (list 'target_f0_std (* k r (cadr (assoc 'target_f0_std int_lr_params))))
    (assoc 'model_f0_mean int_lr_params) (assoc 'model_f0_std int_lr_params))))
`;

/** One festival process reading Scheme commands on stdin. */
class FestivalSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private stdout = '';
  private stderr = '';
  private waiting: { marker: string; resolve: () => void; reject: (e: Error) => void } | undefined;
  private exited: Error | undefined;
  /** Resolves when the process has exited. */
  readonly done: Promise<void>;
  private counter = 0;

  constructor() {
    // detached: Ctrl-C at the terminal is for the build, which finishes running jobs.
    this.child = spawn('festival', ['--pipe'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.stdout += d;
      const w = this.waiting;
      if (w && this.stdout.includes(w.marker)) {
        this.stdout = '';
        this.waiting = undefined;
        w.resolve();
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => { this.stderr = (this.stderr + d).slice(-2000); });
    const fail = (e: Error): void => {
      this.exited = e;
      this.waiting?.reject(e);
      this.waiting = undefined;
    };
    this.child.on('error', (e) => fail(new Error(`festival: cannot run: ${e.message}`)));
    this.done = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.on('close', (code, signal) => fail(new Error(`festival exited (${signal ?? `code ${code}`}): ${this.stderr.trim().split('\n').slice(-2).join(' | ')}`)));
    this.child.stdin.on('error', () => { /* reported by 'close' */ });
    this.child.stdin.write(SCALE_F0);
  }

  /**
   * Speaks `text` (letters, spaces and apostrophes only) in festival voice `voice` with
   * `prosody`, writing a RIFF WAV to `path`. Festival reports Scheme errors on stderr and
   * carries on, so the caller checks that the file exists.
   */
  speak(voice: string, text: string, path: string, prosody: FestivalProsody, timeoutMs = 60_000): Promise<void> {
    if (this.exited) return Promise.reject(this.exited);
    const { stretch, f0, f0Range } = prosody;
    if (![stretch, f0, f0Range].every((x) => Number.isFinite(x) && x > 0)) {
      return Promise.reject(new Error(`festival: bad prosody ${JSON.stringify(prosody)}`));
    }
    if (!/^[a-z' ]*$/.test(text) || !/^[a-z0-9_]+$/.test(voice) || /["\\]/.test(path)) {
      return Promise.reject(new Error(`festival: refusing to quote ${JSON.stringify({ voice, text, path })}`));
    }
    const marker = `SAYRE-DONE-${++this.counter}`;
    this.stderr = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.close(true);
        reject(new Error(`festival: no answer in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting = {
        marker,
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.child.stdin.write([
        `(voice_${voice})`,
        `(Parameter.set 'Duration_Stretch ${stretch})`,
        ...(f0 !== 1 || f0Range !== 1 ? [`(sayre_scale_f0 ${f0} ${f0Range})`] : []),
        `(utt.save.wave (utt.synth (Utterance Text "${text}")) "${path}" 'riff)`,
        `(format t "${marker}\\n")`,
        '(fflush nil)', // stdout is a pipe: festival would hold the marker in its buffer
        '',
      ].join('\n'));
    });
  }

  /** The last error output (to explain a missing file). */
  lastError(): string {
    return this.stderr.trim().split('\n').slice(-2).join(' | ');
  }

  /** Ends festival's input (it exits when done), or kills it with `force`. */
  close(force = false): void {
    this.child.stdin.end();
    if (force && this.child.exitCode === null) this.child.kill();
  }

  get alive(): boolean {
    return !this.exited;
  }
}

/** Festival processes shared by a build's jobs: each call borrows an idle one. */
export class FestivalSessions {
  private readonly idle: FestivalSession[] = [];
  private readonly all: FestivalSession[] = [];

  /** Speaks like {@link FestivalSession.speak}; returns festival's last error output. */
  async speak(voice: string, text: string, path: string, prosody: FestivalProsody): Promise<string> {
    let s = this.idle.pop();
    while (s && !s.alive) s = this.idle.pop();
    if (!s) {
      s = new FestivalSession();
      this.all.push(s);
    }
    try {
      await s.speak(voice, text, path, prosody);
      return s.lastError();
    } finally {
      if (s.alive) this.idle.push(s);
    }
  }

  /** Ends every process and waits for them to exit. */
  async close(): Promise<void> {
    for (const s of this.all) s.close();
    await Promise.all(this.all.map((s) => s.done));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
