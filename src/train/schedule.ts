/**
 * Learning-rate schedules as plain JSON (so that checkpoints carry them): the rate at a
 * given update step (0-based) is a pure function of the schedule, the base rate and step.
 */
export type LrSchedule =
  | { kind: 'constant' }
  /** lr * gamma^floor(step / stepSize) */
  | { kind: 'step'; stepSize: number; gamma: number }
  /** lr * gamma^step */
  | { kind: 'exponential'; gamma: number }
  /** cosine from lr down to minLr over totalSteps, then minLr */
  | { kind: 'cosine'; totalSteps: number; minLr?: number }
  /** linear warm-up from 0 over warmupSteps, then `then` (counted from the end of the warm-up) */
  | { kind: 'warmup'; warmupSteps: number; then: LrSchedule };

/** The learning rate at update `step` (0-based). */
export function learningRate(schedule: LrSchedule, baseLr: number, step: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      if (!(schedule.stepSize >= 1)) throw new Error(`lr schedule "step": stepSize must be >= 1, got ${schedule.stepSize}`);
      return baseLr * Math.pow(schedule.gamma, Math.floor(step / schedule.stepSize));
    case 'exponential':
      return baseLr * Math.pow(schedule.gamma, step);
    case 'cosine': {
      if (!(schedule.totalSteps >= 1)) throw new Error(`lr schedule "cosine": totalSteps must be >= 1, got ${schedule.totalSteps}`);
      const minLr = schedule.minLr ?? 0;
      const p = Math.min(step, schedule.totalSteps) / schedule.totalSteps;
      return minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * p));
    }
    case 'warmup':
      if (!(schedule.warmupSteps >= 0)) throw new Error(`lr schedule "warmup": warmupSteps must be >= 0`);
      if (step < schedule.warmupSteps) return (baseLr * (step + 1)) / (schedule.warmupSteps + 1);
      return learningRate(schedule.then, baseLr, step - schedule.warmupSteps);
    default:
      throw new Error(`unknown lr schedule ${JSON.stringify(schedule)}`);
  }
}
