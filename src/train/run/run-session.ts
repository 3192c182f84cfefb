/**
 * One session of a run: the trainer and early stopping (new, or from the last
 * checkpoint), the commit point, the log, and the checkpoints that make a run resumable.
 */
import { cleanRunDir } from './clean-run-dir.js';
import { existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../backend/index.js';
import { createModel, modelKind } from '../../model/model-kind.js';
import { loadAnyCheckpoint } from '../checkpoint.js';
import { EarlyStopping } from '../early-stopping.js';
import { type LogRecord, TrainingLogWriter } from '../log.js';
import { writeTrainingPlot } from '../plot.js';
import { Trainer } from '../trainer.js';
import { initWeightsFrom } from '../init-weights.js';
import { type RunKind, type RunModel, runKind } from './model-kinds.js';
import type { RunData } from './run-data.js';
import type { OpenRun } from './run-open.js';
import { type RunState, writeRunState } from './run-state.js';

/** How a session of a run ended. */
export interface TrainingRunResult {
  /** Why it stopped: 'early stopping', 'max epochs', 'time limit', or 'already finished'. */
  reason: string;
  finished: boolean;
  epochs: number;
  steps: number;
  trainSeconds: number;
  /** Best dev CER (fraction) and the epoch it came from, or null before any dev evaluation. */
  bestCer: number | null;
  bestEpoch: number;
  /** The model directory of the best dev CER. */
  modelDir: string;
}

/** The run's state while it trains; {@link RunSession.checkpoint} commits it. */
export class RunSession {
  /** The commit point: epoch, batch and phase the run has reached. */
  cur: RunState;
  readonly kind: RunKind<RunModel>;
  readonly modelDir: string;
  private readonly log: TrainingLogWriter;
  private readonly logPath: string;
  private lastCheckpoint = performance.now();

  constructor(
    readonly run: OpenRun, public trainer: Trainer<RunModel>, public es: EarlyStopping, state: RunState,
    private readonly baseSeconds: number, private readonly sessionStart: number, readonly say: (m: string) => void,
  ) {
    this.kind = runKind(modelKind(run.modelConfig));
    this.modelDir = join(run.dir, 'model');
    this.logPath = join(run.dir, 'log.jsonl');
    this.log = TrainingLogWriter.open(this.logPath);
    this.cur = state;
  }

  get model(): RunModel {
    return this.trainer.model;
  }

  /** Seconds of training over all sessions. */
  elapsed(): number {
    return this.baseSeconds + (performance.now() - this.sessionStart) / 1000;
  }

  /** True when the recipe's checkpoint interval has passed since the last checkpoint. */
  checkpointDue(): boolean {
    return (performance.now() - this.lastCheckpoint) / 60000 >= this.run.config.training.checkpointMinutes;
  }

  append(record: LogRecord): void {
    this.log.append(record);
  }

  /** A log event, also said. */
  event(message: string, extra: Record<string, unknown> = {}): void {
    this.log.append({ type: 'event', step: this.trainer.step, message, ...extra });
    this.say(message);
  }

  /** Saves a checkpoint (a device backend's state read back first), then commits it as the state to resume from (and deletes the previous one). */
  async checkpoint(epoch: number, batchIndex: number, finished: string | null): Promise<void> {
    const { dir } = this.run;
    const sequence = this.cur.sequence + 1;
    const file = `ckpt-${sequence}.safetensors`;
    await this.trainer.saveAsync(join(dir, file), this.es);
    const next: RunState = { ...this.cur, checkpoint: file, sequence, epoch, batchIndex, logBytes: statSync(this.logPath).size, trainSeconds: this.elapsed(), finished };
    writeRunState(dir, next);
    if (this.cur.checkpoint && this.cur.checkpoint !== file) rmSync(join(dir, this.cur.checkpoint), { force: true });
    this.cur = next;
    this.lastCheckpoint = performance.now();
  }

  /** Reads a device backend's weights back into `params.data` (a no-op on the CPU backends). */
  async weightsToHost(): Promise<void> {
    const { params } = this.model;
    if (params.backend?.onDevice) await params.backend.read(params.data);
  }

  /** Redraws plot.svg from the log (a failure is said, not thrown: the run goes on). */
  plot(): void {
    try {
      writeTrainingPlot(this.logPath, { out: join(this.run.dir, 'plot.svg'), logScale: true, title: `sayre training: ${this.run.dir}` });
    } catch (err) {
      this.say(`plot not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  result(reason: string): TrainingRunResult {
    const { cur, es } = this;
    return {
      reason, finished: cur.finished !== null, epochs: cur.epoch, steps: this.trainer.step, trainSeconds: cur.trainSeconds,
      bestCer: es.best === null ? null : Math.round(es.best * 1e6) / 1e6, bestEpoch: es.bestEpoch, modelDir: this.modelDir,
    };
  }

  /** Closes the log and tidies the run directory (superseded checkpoints, temporary files of killed writes). */
  close(): void {
    this.log.close();
    if (this.cur.checkpoint) cleanRunDir(this.run.dir, this.cur.checkpoint);
  }
}

/**
 * The trainer of a session: from the run's last checkpoint (the data must be what the run
 * started with), or a new model (every weight, or an RNN-T's encoder, from the checkpoint
 * run.json names as its start, where it names one) with a fresh
 * optimiser and early stopping.
 */
export function makeTrainer(run: OpenRun, data: RunData, options: { backend?: Backend }, say: (m: string) => void): RunSession {
  const recipe = run.config.training;
  const kindName = modelKind(run.modelConfig);
  const kind = runKind(kindName);
  const loss = kind.loss(run.tokenizer);
  const backendOpt = options.backend ? { backend: options.backend } : {};
  const logPath = join(run.dir, 'log.jsonl');
  const sessionStart = performance.now();
  const { state } = run;
  if (state) {
    if (state.fingerprint !== data.fingerprint) throw new Error(`${run.dir}: the training set or batching changed since the run started (batch plan ${data.fingerprint}, run ${state.fingerprint})`);
    const ckPath = join(run.dir, state.checkpoint);
    const r = Trainer.fromCheckpoint<RunModel>(loadAnyCheckpoint(ckPath, backendOpt), ckPath, loss);
    if (!r.earlyStopping) throw new Error(`${ckPath}: no early-stopping state`);
    // Records written after the checkpoint will be written again: cut them off.
    if (existsSync(logPath) && statSync(logPath).size > state.logBytes) truncateSync(logPath, state.logBytes);
    return new RunSession(run, r.trainer, r.earlyStopping, state, state.trainSeconds, sessionStart, say);
  }
  const model = createModel(run.modelConfig, { ...backendOpt, seed: recipe.seed });
  // Where run.json says the first weights come from (also when a run stopped before its first checkpoint is resumed).
  const from = run.startedFrom;
  if (from?.part === 'weights') {
    const n = initWeightsFrom(model, from.checkpoint);
    say(`all ${n} weights initialised from ${from.checkpoint}`);
  } else if (from?.part === 'encoder') {
    if (!kind.initEncoder) throw new Error('--init-encoder: only an RNN-T model (model "type": "rnnt") starts from a CTC encoder');
    kind.initEncoder(model, from.checkpoint);
    say(`encoder initialised from ${from.checkpoint}`);
  }
  const trainer = new Trainer<RunModel>(model, {
    learningRate: recipe.learningRate, optimizer: recipe.optimizer, schedule: recipe.schedule, weightNoise: 0, seed: recipe.seed,
    ...(recipe.clipNorm > 0 ? { clipNorm: recipe.clipNorm } : {}),
  }, loss);
  const es = new EarlyStopping({ patience: recipe.patience, mode: 'min', minDelta: recipe.minDelta });
  rmSync(logPath, { force: true });
  const fresh: RunState = { version: 1, checkpoint: '', sequence: 0, epoch: 0, batchIndex: 0, phase: 1, fingerprint: data.fingerprint, logBytes: 0, trainSeconds: 0, finished: null };
  return new RunSession(run, trainer, es, fresh, 0, sessionStart, say);
}
