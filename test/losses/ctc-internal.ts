/** Runs the CTC task directly, one thread, with the test hooks (TypeScript kernels, log space only). */
import { ctcSequence, type CtcTaskArgs } from '../../src/losses/ctc-task.js';
import type { CtcCase } from './ctc-cases.js';

export function runCtcTask(c: CtcCase, hooks: { jsKernels?: boolean; logSpaceOnly?: boolean }): { losses: Float64Array; grad: Float32Array } {
  const [T, B, C] = c.shape;
  const starts = new Int32Array(B + 1);
  c.targets.forEach((t, b) => { starts[b + 1] = starts[b]! + t.length; });
  const args: CtcTaskArgs = {
    logits: c.logits, T, B, C, blank: c.blank,
    targets: Int32Array.from(c.targets.flat()),
    targetStarts: starts,
    inputLengths: Int32Array.from(c.inputLengths),
    losses: new Float64Array(B),
    grad: new Float32Array(T * B * C),
    gradScales: new Float64Array(B).fill(1),
    badFrames: new Int32Array(B).fill(-1),
    ...hooks,
  };
  for (let b = 0; b < B; b++) ctcSequence(args, b);
  return { losses: args.losses, grad: args.grad! };
}
