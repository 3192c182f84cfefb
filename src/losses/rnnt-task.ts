/**
 * One RNN-T sequence as a pool task (src/parallel/pool.ts): the same routine runs on
 * every thread, each sequence writes only its own slots, so results do not depend on
 * the thread count.
 */
import { RnntLogitError, RnntWorkspace, rnntSequence } from './rnnt-kernel.js';

/** What every thread reads (inputs) and writes (its sequences' slots of the outputs). */
export interface RnntTaskArgs {
  logits: Float32Array; // [B, T, U1, V]
  T: number;
  U1: number;
  V: number;
  blank: number;
  /** All targets concatenated; sequence b's are targets[targetStarts[b] .. targetStarts[b + 1]). */
  targets: Int32Array;
  targetStarts: Int32Array;
  frames: Int32Array;
  gradScale: number;
  zeroInfinity: boolean;
  /** Out: -log P(target | x) per sequence. */
  losses: Float64Array;
  /** Out, when given: d loss / d logits [B, T, U1, V], zero-filled by the caller. */
  grad: Float32Array | null;
  /** Out: [B, 2], frame and label position of a row of unusable logits, else -1. */
  badRows: Int32Array;
  /** Item i of a run is sequence first + i (default 0). */
  first?: number;
}

/** This thread's scratch, reused between calls. */
const workspace = new RnntWorkspace();

/** Computes sequence b = a.first + item: losses[b] and, when args.grad is set, its gradient block. */
export function rnntTask(a: RnntTaskArgs, item: number): void {
  const b = (a.first ?? 0) + item;
  a.badRows[2 * b] = -1;
  a.badRows[2 * b + 1] = -1;
  try {
    a.losses[b] = rnntSequence(a.logits, a.grad, {
      T: a.T, U1: a.U1, V: a.V, offset: b * a.T * a.U1 * a.V, frames: a.frames[b]!,
      labels: a.targets.subarray(a.targetStarts[b]!, a.targetStarts[b + 1]!),
      blank: a.blank, gradScale: a.gradScale, zeroInfinity: a.zeroInfinity,
    }, workspace);
  } catch (e) {
    if (!(e instanceof RnntLogitError)) throw e;
    a.losses[b] = NaN;
    a.badRows[2 * b] = e.frame;
    a.badRows[2 * b + 1] = e.position;
  }
}
