import type { Backend } from '../backend/index.js';
import { Random } from '../math/random.js';
import type { CtcModel } from '../model/ctc-model.js';
import type { LossFunction, TrainableModel } from '../model/trainable.js';
import { type CheckpointExtras, type LoadedCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { clipGradNorm, gradNorm } from './clip.js';
import { ctcObjective } from './ctc-objective.js';
import { EarlyStopping } from './early-stopping.js';
import { type Optimizer, type OptimizerConfig, createOptimizer } from './optimizers.js';
import { type LrSchedule, learningRate } from './schedule.js';
import { WeightNoise } from './weight-noise.js';

/** A padded, time-major minibatch with its label sequences. */
export interface Batch {
  /** [T, B, F] features. */
  x: Float32Array;
  shape: [number, number, number];
  /** Real frames per sequence. */
  lengths: ArrayLike<number>;
  /** Label sequences (no blanks). */
  targets: ArrayLike<number>[];
}

/** How to train; JSON-able (it is saved in checkpoints). */
export interface TrainerOptions {
  /** Base learning rate (the CTC papers use 1e-4 with momentum 0.9). */
  learningRate: number;
  /** Default SGD with momentum 0.9. */
  optimizer?: OptimizerConfig;
  /** Default constant. */
  schedule?: LrSchedule;
  /** Clip the gradient's L2 norm to this (default: no clipping). */
  clipNorm?: number;
  /** Standard deviation of Graves's weight noise, once per minibatch (default 0: none). */
  weightNoise?: number;
  /** Seed of the trainer's random stream (weight noise, shuffling); default 0. */
  seed?: number;
}

/** What one update did. */
export interface StepResult {
  loss: number;
  /** Gradient L2 norm before clipping. */
  gradNorm: number;
  /** Learning rate used. */
  lr: number;
  /** True when the loss or gradient was not finite and the update was skipped. */
  skipped: boolean;
}

interface SavedTrainerState {
  options: TrainerOptions;
  step: number;
  skipped: number;
  rng: number[];
}

/**
 * One training update at a time: weight noise (once per minibatch), forward, loss,
 * backward at the noisy weights, clean weights back, gradient clipping, optimiser step at
 * the scheduled learning rate. Its state (step, random stream, optimiser) goes into
 * checkpoints, so that a resumed run continues exactly as an uninterrupted one.
 */
export class Trainer<M extends TrainableModel = CtcModel> {
  readonly options: TrainerOptions;
  readonly optimizer: Optimizer;
  /** The trainer's random stream; use it for shuffling too, so that resuming replays it. */
  rng: Random;
  /** Updates done so far. */
  step = 0;
  /** Updates skipped for a non-finite loss or gradient. */
  skippedSteps = 0;
  private readonly noise: WeightNoise;

  /** `loss` defaults to the model's own objective, else {@link ctcObjective} with the model's blank. */
  readonly loss: LossFunction;

  constructor(readonly model: M, options: TrainerOptions, loss?: LossFunction, optimizer?: Optimizer) {
    this.loss = loss ?? model.objective?.() ?? ctcObjective({ blank: model.config.blank });
    if (!(options.learningRate >= 0)) throw new Error(`Trainer: learningRate must be >= 0, got ${options.learningRate}`);
    if (options.clipNorm !== undefined && !(options.clipNorm > 0)) throw new Error(`Trainer: clipNorm must be > 0, got ${options.clipNorm}`);
    this.options = { ...options };
    this.optimizer = optimizer ?? createOptimizer(options.optimizer ?? { kind: 'sgd', momentum: 0.9 });
    this.rng = new Random(options.seed ?? 0);
    this.noise = new WeightNoise(options.weightNoise ?? 0);
  }

  /** The learning rate the next update will use. */
  get learningRate(): number {
    return learningRate(this.options.schedule ?? { kind: 'constant' }, this.options.learningRate, this.step);
  }

  /** One update on `batch`. */
  trainStep(batch: Batch): StepResult {
    const { model } = this;
    const params = model.params;
    if (params.backend?.onDevice) throw new Error(`Trainer on ${params.backend.name}: a step reads back asynchronously; use trainStepAsync`);
    params.zeroGrad();
    this.noise.perturb(params.data, this.rng);
    let loss: number;
    try {
      const out = model.forward(batch.x, batch.shape, batch.lengths, true);
      const res = this.loss(out.logits, out.shape, batch.targets, out.lengths);
      loss = res.loss;
      if (res.grad) model.backward(res.grad);
    } finally {
      this.noise.restore(params.data);
    }
    const norm = this.options.clipNorm !== undefined ? clipGradNorm(params.grad, this.options.clipNorm) : gradNorm(params.grad);
    const lr = this.learningRate;
    const skipped = !Number.isFinite(loss) || !Number.isFinite(norm);
    if (skipped) this.skippedSteps++;
    else this.optimizer.step(params.data, params.grad, lr);
    this.step++;
    return { loss, gradNorm: norm, lr, skipped };
  }

  /**
   * One update on `batch`, on any backend. On the CPU backends it is {@link Trainer.trainStep}.
   * On a device backend (webgpu) the whole step stays on the device: the features go up
   * (one write), weight noise (drawn there from two seeds of the trainer's stream, so its
   * values differ from the CPU's), forward, the loss, backward, the clean weights back, the
   * gradient norm, clipping and the optimiser (SGD or Adam) run there (the device skips the
   * update on a non-finite loss or norm), and one read-back brings the per-sequence losses
   * and the squared norm (the CTC and RNN-T losses both run on the device). A loss or
   * optimiser without a device form throws, naming it.
   */
  async trainStepAsync(batch: Batch): Promise<StepResult> {
    const { model } = this;
    const params = model.params;
    const be = params.backend;
    if (!be?.onDevice) return this.trainStep(batch);
    const training = be.training;
    const device = this.loss.device;
    const optimizerStep = this.optimizer.stepOnDevice?.bind(this.optimizer);
    const unsupported = !training ? `backend ${be.name} has no device training kernels`
      : !device ? 'the loss has no device form (the CTC and RNN-T objectives have)'
        : !optimizerStep ? `optimizer ${this.optimizer.kind} has no device form (SGD and Adam have)` : '';
    if (unsupported || !training || !device || !optimizerStep) throw new Error(`Trainer.trainStepAsync on ${be.name}: ${unsupported}`);
    params.zeroGrad();
    const sigma = this.options.weightNoise ?? 0;
    const clean = sigma > 0 ? this.deviceBuffer('clean', params.data.length) : undefined;
    if (clean) {
      be.copy(params.data, clean);
      training.addNoise(params.data, sigma, [this.rng.nextUint32(), this.rng.nextUint32()]);
    }
    let reduce: (losses: Float32Array) => number;
    let stats: Float32Array;
    try {
      const out = model.forward(batch.x, batch.shape, batch.lengths, true);
      const [T, B, C] = out.shape;
      const grad = this.deviceBuffer('grad', T * B * C);
      stats = this.deviceBuffer('stats', B + 1); // B losses, then the squared gradient norm
      reduce = await device(training, out.logits, out.shape, batch.targets, out.lengths, grad, stats);
      model.backward(grad);
    } finally {
      if (clean) be.copy(clean, params.data); // the gradient was taken at the noisy weights; the update goes to the clean ones
    }
    const B = stats.length - 1;
    const sq = stats.subarray(B, B + 1);
    training.sumSquares(params.grad, sq);
    if (this.options.clipNorm !== undefined) training.clipGrad(params.grad, this.options.clipNorm, sq);
    const lr = this.learningRate;
    const applied = optimizerStep({ training, alloc: (n) => be.alloc(n), upload: (a) => be.upload(a) }, params.data, params.grad, lr, stats);
    const read = await be.read(stats); // the step's one read-back
    const loss = reduce(read.subarray(0, B));
    const norm = Math.sqrt(read[B]!);
    let finite = Number.isFinite(norm);
    for (let b = 0; b < B; b++) if (!Number.isFinite(read[b]!)) finite = false;
    applied(finite);
    const skipped = !finite || !Number.isFinite(loss);
    if (skipped) this.skippedSteps++;
    this.step++;
    return { loss, gradNorm: norm, lr, skipped };
  }

  /**
   * Brings a device backend's weights and optimiser state back into their host copies
   * (read-backs outside the steps), so that host code may read `params.data`; a no-op on
   * the CPU backends.
   */
  async pull(): Promise<void> {
    const be = this.model.params.backend;
    if (!be?.onDevice) return;
    await be.read(this.model.params.data);
    for (const t of this.optimizer.deviceTensors?.() ?? []) await be.read(t);
  }

  /**
   * Gives the trainer's device arrays back to the backend: its step buffers and its
   * optimiser's state (the weights are the model's and stay). A training run calls it when a
   * new trainer takes over (the weight-noise phase), so GPU memory does not grow by a copy of
   * the optimiser state at each switch. The trainer must not step after.
   */
  dispose(): void {
    const be = this.model.params.backend;
    if (!be) return;
    for (const a of this.device.values()) be.free(a);
    this.device.clear();
    for (const t of this.optimizer.deviceTensors?.() ?? []) be.free(t);
  }

  private readonly device = new Map<string, Float32Array>();

  /** A backend array of exactly `length` floats kept between device steps. */
  private deviceBuffer(key: string, length: number): Float32Array {
    let a = this.device.get(key);
    if (!a || a.length !== length) {
      if (a) this.model.params.backend!.free(a);
      a = this.model.params.backend!.alloc(length);
      this.device.set(key, a);
    }
    return a;
  }

  /** The loss on `batch` at the clean weights, without noise or any update. */
  evaluateLoss(batch: Batch): number {
    const be = this.model.params.backend;
    if (be?.onDevice) throw new Error(`Trainer.evaluateLoss on ${be.name}: the logits stay on the device; use evaluateDev (train/run/evaluate.ts), which reads them back`);
    const out = this.model.infer(batch.x, batch.shape, batch.lengths);
    return this.loss(out.logits, out.shape, batch.targets, out.lengths).loss;
  }

  /** Saves model, optimiser and trainer state (and an early-stopping tracker) atomically; on a device backend use {@link Trainer.saveAsync}. */
  save(path: string, earlyStopping?: EarlyStopping): void {
    const be = this.model.params.backend;
    if (be?.onDevice) throw new Error(`Trainer.save on ${be.name}: the weights are on the device; use saveAsync`);
    this.write(path, earlyStopping);
  }

  /** {@link Trainer.save} on any backend: a device backend's state is read back first. */
  async saveAsync(path: string, earlyStopping?: EarlyStopping): Promise<void> {
    await this.pull();
    this.write(path, earlyStopping);
  }

  private write(path: string, earlyStopping?: EarlyStopping): void {
    const state: SavedTrainerState = { options: this.options, step: this.step, skipped: this.skippedSteps, rng: this.rng.state() };
    const extras: CheckpointExtras = { optimizer: this.optimizer, trainer: state };
    if (earlyStopping) extras.earlyStopping = earlyStopping;
    saveCheckpoint(path, this.model, extras);
  }

  /** A trainer continuing exactly from a checkpoint written by {@link Trainer.save}. */
  static resume(path: string, loss: LossFunction | undefined, options: { backend?: Backend } = {}): { trainer: Trainer; earlyStopping?: EarlyStopping } {
    return Trainer.fromCheckpoint(loadCheckpoint(path, options), path, loss);
  }

  /** As {@link Trainer.resume}, from a checkpoint already read (of any model kind); `path` names it in errors. */
  static fromCheckpoint<M extends TrainableModel>(ck: LoadedCheckpoint<M>, path: string, loss: LossFunction | undefined): { trainer: Trainer<M>; earlyStopping?: EarlyStopping } {
    const state = ck.trainer as SavedTrainerState | undefined;
    if (!state || typeof state.step !== 'number' || !Array.isArray(state.rng)) {
      throw new Error(`checkpoint ${path}: no trainer state to resume from`);
    }
    const trainer = new Trainer(ck.model, state.options, loss, ck.optimizer);
    trainer.step = state.step;
    trainer.skippedSteps = state.skipped ?? 0;
    trainer.rng = Random.fromState(state.rng);
    const result: { trainer: Trainer<M>; earlyStopping?: EarlyStopping } = { trainer };
    if (ck.earlyStopping) result.earlyStopping = EarlyStopping.fromState(ck.earlyStopping.state, ck.earlyStopping.bestWeights);
    return result;
  }
}

