import { rnntLoss } from '../losses/rnnt.js';
import type { LossFunction } from './trainable.js';
import type { JointDims } from './transducer-joint.js';

/**
 * What the objective needs of a transducer (RnntModel has it): a prediction pass `P` and a
 * joint pass over every (frame, label position), and their backward. Declared here so that
 * the model can build its objective without the two files importing each other.
 */
export interface JointTrainable<P> {
  readonly blank: number;
  isTrainingOutput(output: Float32Array): boolean;
  predictionForward(targets: readonly ArrayLike<number>[], train: boolean): P;
  jointLogits(encP: Float32Array, shape: readonly [number, number, number], frames: ArrayLike<number>, pred: P): JointOutput;
  jointBackward(pass: JointOutput, dLogits: Float32Array): Float32Array;
}

/** A joint pass as the objective sees it: logits [B, T', U1, V] and their dims. */
export interface JointOutput {
  logits: Float32Array;
  dims: JointDims;
}

/** Options of {@link transducerObjective}. */
export interface TransducerObjectiveOptions {
  /** 'mean' (default): the batch mean of -log P(y | x), torchaudio's; 'sum'. */
  reduction?: 'mean' | 'sum';
  /** Threads for rnntLoss (default: its own). */
  threads?: number;
}

/**
 * The RNN-T training objective as the Trainer's {@link LossFunction}, bound to `model`:
 * it receives the encoder projection [T', B, J] that RnntModel.forward returns,
 * runs the prediction network on the targets and the joint network over every
 * (frame, label position), takes rnntLoss, and, when the projection came from a training
 * forward, backpropagates through the joint and prediction networks (accumulating their
 * parameter gradients) and returns d loss / d projection for RnntModel.backward.
 * After an inference forward (Trainer.evaluateLoss) it computes the loss only.
 */
export function transducerObjective<P>(model: JointTrainable<P>, options: TransducerObjectiveOptions = {}): LossFunction {
  const reduction = options.reduction ?? 'mean';
  return (encP, shape, targets, frames) => {
    const train = model.isTrainingOutput(encP);
    const pred = model.predictionForward(targets, train);
    const pass = model.jointLogits(encP, shape, frames, pred);
    const { B, T, U1, V } = pass.dims;
    const r = rnntLoss(pass.logits, [B, T, U1, V], targets, frames, {
      blank: model.blank, reduction, grad: train, ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    if (!train) return { loss: r.loss };
    return { loss: r.loss, grad: model.jointBackward(pass, r.grad!) };
  };
}
