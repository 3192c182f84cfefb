/**
 * What training needs of a model, defined here (below train/) so that model kinds can
 * implement it without importing the trainer.
 */
import type { DeviceTraining } from '../backend/index.js';
import type { Parameters } from '../nn/parameters.js';
import type { CtcModelOutput } from './ctc-model.js';

/**
 * The training loss on the model's logits [T', B, C]: returns the (reduced) loss and
 * d loss / d logits. ctcLoss (losses/ctc.ts) has this shape.
 */
export type LossFunction = ((
  logits: Float32Array, shape: [number, number, number], targets: ArrayLike<number>[], inputLengths: ArrayLike<number>,
) => { loss: number; grad?: Float32Array | undefined }) & {
  /** The same loss on a device backend's logits, where the loss has a device kernel. */
  device?: DeviceLoss;
};

/**
 * A loss on a device backend: enqueues d loss / d logits into `grad` and per-sequence
 * losses into `losses` (backend arrays); returns how to reduce the losses once read back,
 * or a promise of it where the loss reads back on the way (the RNN-T loss, whose lattice
 * runs on the host).
 */
export type DeviceLoss = (
  training: DeviceTraining, logits: Float32Array, shape: [number, number, number], targets: ArrayLike<number>[],
  inputLengths: ArrayLike<number>, grad: Float32Array, losses: Float32Array,
) => ((losses: Float32Array) => number) | Promise<(losses: Float32Array) => number>;

/** What the Trainer needs of a model: CtcModel and CrnnModel both have it. */
export interface TrainableModel {
  readonly params: Parameters;
  readonly config: { readonly blank: number };
  forward(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, train?: boolean): CtcModelOutput;
  infer(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcModelOutput;
  backward(dLogits: Float32Array): void;
  /** The model's own training loss, where it is not CTC's (an RNN-T model's); the Trainer's default loss. */
  objective?(): LossFunction;
}

