/**
 * What long-running library code (a training run, feature extraction) reports progress
 * to. The terminal bar in report/progress.ts is one implementation; callers may pass
 * their own, or none.
 */

/** Values shown after the rate and ETA, e.g. `{ loss: 1.234 }`. */
export type ProgressValues = Readonly<Record<string, number | string>>;

/** A running progress report. */
export interface Progress {
  /** Sets the amount done (in units) and, optionally, the values shown. */
  update(done: number, values?: ProgressValues): void;
  /** Adds `amount` to the amount done. */
  tick(amount: number, values?: ProgressValues): void;
  /** Prints a line of text without garbling the bar. */
  log(message: string): void;
  /** Prints the final state and stops (a bar must be stopped, or its timer keeps Node running). */
  stop(): void;
}

/** What a progress report is started with. */
export interface ProgressStart {
  /** Total amount of work, in units. */
  total: number;
  /** Amount already done (a resumed epoch). */
  start?: number;
  /** Shown first, e.g. `epoch 3`. */
  label?: string;
  /** Name of the unit, e.g. `frames`. */
  unit?: string;
}

/** Starts a progress report (report/progress.ts's startProgress is one). */
export type StartProgress = (options: ProgressStart) => Progress;
