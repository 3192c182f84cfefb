/**
 * A whole training run, the engine of `sayre train`: manifests -> cached features (of
 * audio, or of text-line images for a CRNN: run-input.ts) -> CMVN over the training set
 * (speech only) -> length-bucketed batches -> Trainer, with per-epoch dev
 * loss and greedy CER/WER, early stopping, the two-phase schedule of Graves et al.
 * (no weight noise until the dev CER stops improving, then back to the best weights and
 * on with weight noise until it stops improving again), checkpoints every few minutes and
 * at each epoch's end, resumption after any interruption (kill -9 included) that continues
 * exactly as an uninterrupted run would, a JSON-lines log and an SVG plot of the curves.
 *
 * The run directory:
 *   run.json        the configuration and the manifests
 *   cmvn.json       feature statistics of the training set (speech)
 *   features/       cached features
 *   state.json      the commit point (see run-state.ts) and ckpt-N.safetensors it names
 *   log.jsonl       the training log; plot.svg its curves
 *   model/          the model directory of the best dev CER so far (the result)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cmvn, CmvnAccumulator } from '../../audio/cmvn.js';
import type { Features } from '../../util/features.js';
import { specAugment } from '../../audio/spec-augment.js';
import type { Backend } from '../../backend/index.js';
import { batchEpoch, batchPlanFingerprint } from '../../data/batching.js';
import { CharTokenizer } from '../../data/char-tokenizer.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { ctcLoss } from '../../losses/ctc.js';
import { Random } from '../../math/random.js';
import { resolveCtcModelConfig, type CtcModelConfig } from '../../model/config.js';
import type { CtcModel } from '../../model/ctc-model.js';
import { crnnReduction, isCrnnConfig, resolveCrnnModelConfig, type ResolvedCrnnModelConfig } from '../../model/crnn-config.js';
import { CrnnModel } from '../../model/crnn-model.js';
import { createModel } from '../../model/model-kind.js';
import { isTransducerConfig, resolveTransducerModelConfig } from '../../model/transducer-config.js';
import { evaluateTransducer } from './evaluate-transducer.js';
import { RnntModel } from '../../model/transducer-model.js';
import { initEncoderFromCtcCheckpoint } from '../transducer-checkpoint.js';
import { stackedLength } from '../../model/frame-stacking.js';
import { type FrontEndConfig, frontEndDim } from '../../audio/front-end.js';
import { isImageFrontEnd } from '../../image/line-front-end.js';
import { saveModelDir } from '../../model/io/model-dir.js';
import { saveLineModelDir } from '../../model/io/line-model-dir.js';
import { padFeatures } from '../../data/pad-batch.js';
import { startProgress } from '../../report/progress.js';
import { type LoadedCheckpoint, loadAnyCheckpoint } from '../checkpoint.js';
import { EarlyStopping } from '../early-stopping.js';
import { TrainingLogWriter, type LogRecord } from '../log.js';
import { createOptimizer } from '../optimizers.js';
import { writeTrainingPlot } from '../plot.js';
import type { LossFunction } from '../../model/trainable.js';
import { type Batch, Trainer } from '../trainer.js';
import { evaluateDev, type DevScores } from './evaluate.js';
import { cachedFeatures } from './feature-cache.js';
import { batchingOf, resolveRunConfig, type RunConfig } from './run-config.js';
import { type InputItem, type RunInput, runInput } from './run-input.js';
import { type RunState, readRunState, writeRunState } from './run-state.js';

/** Options of {@link trainingRun}. */
export interface TrainingRunOptions {
  /** The run directory. */
  out: string;
  /** Configuration of a new run. On resume it may be left out (run.json has it). */
  config?: RunConfig;
  /** Manifests of a new run (on resume, those in run.json are used). */
  train?: string;
  dev?: string;
  /**
   * Continue the run in `out`. Without it, a directory that already holds a run is an
   * error. With it, a directory without a run starts one.
   */
  resume?: boolean;
  /**
   * A new RNN-T run starts its encoder from this CTC checkpoint (Graves et al. 2013); the
   * encoders must have the same shape. Ignored on resume (the checkpoint has the weights).
   */
  initEncoder?: string;
  /** On resume: new limits (they do not change the path the run takes, only where it ends). */
  limits?: Partial<Pick<RunConfig['training'], 'maxEpochs' | 'maxMinutes' | 'checkpointMinutes'>>;
  backend?: Backend;
  /** Where the progress bar and messages go; default process.stderr; null for silence. */
  stream?: (NodeJS.WritableStream & { isTTY?: boolean }) | null;
}

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

interface RunFile {
  config: RunConfig;
  train: string;
  dev: string;
  tokenizer: { type: 'char'; alphabet: string };
}

/**
 * The model config with numClasses and (speech) inputDim filled in: a CTC model's, an
 * RNN-T model's ("type": "rnnt") or a CRNN's ("type": "crnn").
 */
function modelConfigOf(config: RunConfig, tokenizer: CharTokenizer): CtcModelConfig | ResolvedCrnnModelConfig {
  const numClasses = config.model.numClasses ?? tokenizer.size;
  if (isCrnnConfig(config.model)) return resolveCrnnModelConfig({ ...config.model, numClasses });
  if (isImageFrontEnd(config.frontEnd)) throw new Error('an image front end needs a CRNN model');
  const fields = { ...config.model, inputDim: config.model.inputDim ?? frontEndDim(config.frontEnd), numClasses };
  return isTransducerConfig(fields) ? resolveTransducerModelConfig(fields) : resolveCtcModelConfig(fields);
}

/** Output frames of a model with `config` for an input of `frames` frames (or image columns). */
function outputFrames(config: CtcModelConfig | ResolvedCrnnModelConfig, frames: number): number {
  return isCrnnConfig(config) ? Math.floor(frames / crnnReduction(config as ResolvedCrnnModelConfig).columnStride) : stackedLength(frames, (config as CtcModelConfig).frameStride!);
}

/** Labelled, normalised features of one manifest. */
interface LabelledSet {
  entries: InputItem[];
  feats: Features[];
  targets: Int32Array[];
}

function loadSet(runDir: string, name: string, manifest: string, input: RunInput, tokenizer: CharTokenizer, say: (m: string) => void, stream: TrainingRunOptions['stream']): LabelledSet {
  const entries = input.read(manifest);
  if (entries.length === 0) throw new Error(`${manifest}: the manifest is empty`);
  const targets = entries.map((e) => {
    try {
      return tokenizer.encode(e.text);
    } catch (err) {
      throw new Error(`${manifest}:${e.line}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const amount = entries.reduce((a, e) => a + e.amount, 0);
  const progress = stream === null ? null : startProgress({ total: amount, unit: input.unit, label: `features ${name}`, ...(stream ? { stream } : {}) });
  const t0 = performance.now();
  const feats = cachedFeatures(join(runDir, 'features'), name, entries, input, (_done, s) => progress?.tick(s));
  progress?.update(amount); // all done (a cache hit ticks nothing)
  progress?.stop();
  say(`${name}: ${input.describe(entries)} (${((performance.now() - t0) / 1000).toFixed(1)} s to load features)`);
  return { entries, feats, targets };
}

/** CTC needs at least one output frame per label, plus one between repeated labels. */
function ctcFrames(target: Int32Array): number {
  let n = target.length;
  for (let i = 1; i < target.length; i++) if (target[i] === target[i - 1]) n++;
  return n;
}

/** Runs (or resumes) a training run; see the module doc. Resolves when the session ends. */
export async function trainingRun(options: TrainingRunOptions): Promise<TrainingRunResult> {
  const out = resolve(options.out);
  const stream = options.stream === undefined ? process.stderr : options.stream;
  const say = (m: string): void => { stream?.write(`${m}\n`); };
  mkdirSync(out, { recursive: true });
  const runPath = join(out, 'run.json');
  let state = readRunState(out);
  if (state && !options.resume) throw new Error(`${out} already holds a training run; pass --resume to continue it, or choose another --out`);

  // The run's fixed description: written once, read back on resume.
  let run: RunFile;
  if (state) {
    run = JSON.parse(readFileSync(runPath, 'utf8')) as RunFile;
    if (options.config && JSON.stringify(strip(resolveRunConfig(options.config))) !== JSON.stringify(strip(run.config))) {
      throw new Error(`${out}: the run was started with another configuration (see run.json); resume without --config or choose another --out`);
    }
    for (const k of ['train', 'dev'] as const) {
      if (options[k] && resolve(options[k]) !== run[k]) throw new Error(`${out}: the run was started with --${k} ${run[k]}, not ${resolve(options[k])}`);
    }
    run.config.training = { ...run.config.training, ...definedOnly(options.limits ?? {}) };
  } else {
    if (!options.config || !options.train || !options.dev) throw new Error('a new training run needs a config and train and dev manifests');
    const config = resolveRunConfig(options.config);
    config.training = { ...config.training, ...definedOnly(options.limits ?? {}) };
    run = { config, train: resolve(options.train), dev: resolve(options.dev), tokenizer: runInput(config.frontEnd).tokenizer().toJSON() };
    writeFileAtomic(runPath, JSON.stringify(run, null, 2) + '\n');
  }
  const { config } = run;
  const recipe = config.training;
  const tokenizer = CharTokenizer.fromJSON(run.tokenizer);
  const modelConfig = modelConfigOf(config, tokenizer);
  const input = runInput(config.frontEnd);

  const train = loadSet(out, 'train', run.train, input, tokenizer, say, stream);
  const dev = loadSet(out, 'dev', run.dev, input, tokenizer, say, stream);

  // CMVN statistics over the training set (speech), computed once and kept with the run.
  const cmvnPath = join(out, 'cmvn.json');
  let cmvn: Cmvn | null = null;
  if (!input.cmvn) {
    // Line images are normalised one by one (image/normalise.ts).
  } else if (existsSync(cmvnPath)) {
    cmvn = Cmvn.fromJSON(JSON.parse(readFileSync(cmvnPath, 'utf8')));
  } else {
    const acc = new CmvnAccumulator(train.feats[0]!.dim);
    for (const f of train.feats) acc.accumulate(f);
    cmvn = acc.finalise();
    writeFileAtomic(cmvnPath, JSON.stringify(cmvn.toJSON()) + '\n');
  }
  if (cmvn) for (const f of [...train.feats, ...dev.feats]) cmvn.apply(f);

  // Utterances (images) too short for their transcript at the model's frame rate cannot be trained on.
  const usable = train.feats.map((f, i) => outputFrames(modelConfig, f.frames) >= ctcFrames(train.targets[i]!) && train.targets[i]!.length > 0);
  const trainIdx = usable.flatMap((ok, i) => (ok ? [i] : []));
  if (trainIdx.length === 0) throw new Error(`${run.train}: no item is long enough for its transcript at the model's frame rate`);
  if (trainIdx.length < train.feats.length) say(`train: left out ${train.feats.length - trainIdx.length} utterances too short for their transcripts`);
  const lengths = trainIdx.map((i) => train.feats[i]!.frames);
  const batching = batchingOf(recipe);
  const fingerprint = batchPlanFingerprint(lengths, batching);

  // An RNN-T model brings its own objective (the Trainer's default for it).
  const loss: LossFunction | undefined = isTransducerConfig(modelConfig) ? undefined : (logits, shape, targets, inputLengths) => {
    const r = ctcLoss(logits, shape, targets, inputLengths, { blank: tokenizer.blank, zeroInfinity: true });
    return { loss: r.loss, grad: r.grad };
  };
  const backendOpt = options.backend ? { backend: options.backend } : {};

  let trainer: Trainer<CtcModel | RnntModel | CrnnModel>;
  let es: EarlyStopping;
  const logPath = join(out, 'log.jsonl');
  const sessionStart = performance.now();
  let baseSeconds = 0;
  let resumed = false;
  if (state) {
    if (state.fingerprint !== fingerprint) throw new Error(`${out}: the training set or batching changed since the run started (batch plan ${fingerprint}, run ${state.fingerprint})`);
    const ckPath = join(out, state.checkpoint);
    const r = Trainer.fromCheckpoint(loadAnyCheckpoint(ckPath, backendOpt) as LoadedCheckpoint<CtcModel | RnntModel | CrnnModel>, ckPath, loss);
    trainer = r.trainer;
    if (!r.earlyStopping) throw new Error(`${join(out, state.checkpoint)}: no early-stopping state`);
    es = r.earlyStopping;
    baseSeconds = state.trainSeconds;
    // Records written after the checkpoint will be written again: cut them off.
    if (existsSync(logPath) && statSync(logPath).size > state.logBytes) truncateSync(logPath, state.logBytes);
    resumed = true;
  } else {
    const model = createModel(modelConfig, { ...backendOpt, seed: recipe.seed });
    if (options.initEncoder) {
      if (!(model instanceof RnntModel)) throw new Error('--init-encoder: only an RNN-T model (model "type": "rnnt") starts from a CTC encoder');
      initEncoderFromCtcCheckpoint(model, options.initEncoder);
      say(`encoder initialised from ${options.initEncoder}`);
    }
    trainer = new Trainer(model, {
      learningRate: recipe.learningRate, optimizer: recipe.optimizer, schedule: recipe.schedule, weightNoise: 0, seed: recipe.seed,
      ...(recipe.clipNorm > 0 ? { clipNorm: recipe.clipNorm } : {}),
    }, loss);
    es = new EarlyStopping({ patience: recipe.patience, mode: 'min', minDelta: recipe.minDelta });
    rmSync(logPath, { force: true });
  }
  const log = TrainingLogWriter.open(logPath);
  const model = trainer.model;
  const params = model.params;
  const elapsed = (): number => baseSeconds + (performance.now() - sessionStart) / 1000;
  const modelDir = join(out, 'model');

  let cur: RunState = state ?? {
    version: 1, checkpoint: '', sequence: 0, epoch: 0, batchIndex: 0, phase: 1, fingerprint, logBytes: 0, trainSeconds: 0, finished: null,
  };
  const event = (message: string, extra: Record<string, unknown> = {}): void => {
    log.append({ type: 'event', step: trainer.step, message, ...extra });
    say(message);
  };
  const checkpoint = (epoch: number, batchIndex: number, finished: string | null): void => {
    const sequence = cur.sequence + 1;
    const file = `ckpt-${sequence}.safetensors`;
    trainer.save(join(out, file), es);
    const next: RunState = { ...cur, checkpoint: file, sequence, epoch, batchIndex, logBytes: statSync(logPath).size, trainSeconds: elapsed(), finished };
    writeRunState(out, next);
    if (cur.checkpoint && cur.checkpoint !== file) rmSync(join(out, cur.checkpoint), { force: true });
    cur = next;
    lastCheckpoint = performance.now();
  };
  const plot = (): void => {
    try {
      writeTrainingPlot(logPath, { out: join(out, 'plot.svg'), logScale: true, title: `sayre training: ${out}` });
    } catch (err) {
      say(`plot not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const result = (reason: string): TrainingRunResult => ({
    reason, finished: cur.finished !== null, epochs: cur.epoch, steps: trainer.step, trainSeconds: cur.trainSeconds,
    bestCer: es.best === null ? null : Math.round(es.best * 1e6) / 1e6, bestEpoch: es.bestEpoch, modelDir,
  });
  let lastCheckpoint = performance.now();

  // A run that ran out of epochs goes on when given more.
  if (cur.finished === 'max epochs' && cur.epoch < recipe.maxEpochs) cur = { ...cur, finished: null };
  if (cur.finished) {
    log.close();
    return result('already finished');
  }
  if (resumed) {
    event(`resumed at epoch ${cur.epoch}, batch ${cur.batchIndex}, step ${trainer.step} (phase ${cur.phase})`);
  } else {
    event(`started: ${trainIdx.length} training and ${dev.feats.length} dev utterances, ${params.size} parameters`, { config: modelConfig });
    checkpoint(0, 0, null);
  }

  /** The padded batch of training items `batch` (indices into trainIdx), augmented with a per-batch seed. */
  const makeBatch = (batch: readonly number[], epoch: number, index: number): Batch => {
    let items = batch.map((j) => train.feats[trainIdx[j]!]!);
    if (recipe.specAugment) {
      const rng = new Random((recipe.seed * 1000003 + epoch * 7919 + index) >>> 0);
      items = items.map((f) => {
        const copy = { data: f.data.slice(), frames: f.frames, dim: f.dim };
        specAugment(copy, rng, recipe.specAugment!);
        return copy;
      });
    }
    const p = padFeatures(items, items.map((_, i) => i));
    return { x: p.x, shape: p.shape, lengths: p.lengths, targets: batch.map((j) => train.targets[trainIdx[j]!]!) };
  };

  try {
    for (;;) {
      const epoch = cur.epoch;
      if (epoch >= recipe.maxEpochs) {
        checkpoint(epoch, 0, 'max epochs');
        break;
      }
      const batches = batchEpoch(lengths, batching, epoch);
      const framesOf = (b: readonly number[]): number => b.reduce((a, j) => a + lengths[j]!, 0);
      const total = batches.reduce((a, b) => a + framesOf(b), 0);
      const done = batches.slice(0, cur.batchIndex).reduce((a, b) => a + framesOf(b), 0);
      const progress = stream === null ? null : startProgress({ total, start: done, unit: 'frames', label: `epoch ${epoch}${cur.phase === 2 ? ' (noise)' : ''}`, ...(stream ? { stream } : {}) });
      for (let i = cur.batchIndex; i < batches.length; i++) {
        const batch = makeBatch(batches[i]!, epoch, i);
        const t0 = performance.now();
        const r = trainer.trainStep(batch);
        const frames = framesOf(batches[i]!);
        const fps = frames / ((performance.now() - t0) / 1000);
        const rec: LogRecord = { type: 'train', step: trainer.step - 1, epoch, loss: r.loss, learningRate: r.lr, gradNorm: r.gradNorm, framesPerSecond: Math.round(fps), phase: cur.phase };
        if (r.skipped) rec['skipped'] = true;
        log.append(rec);
        progress?.tick(frames, { loss: r.loss });
        const timeUp = recipe.maxMinutes > 0 && elapsed() >= recipe.maxMinutes * 60;
        if (timeUp || (performance.now() - lastCheckpoint) / 60000 >= recipe.checkpointMinutes) {
          cur = { ...cur, batchIndex: i + 1 };
          checkpoint(epoch, i + 1, null);
        }
        if (timeUp) {
          progress?.stop();
          event(`time limit of ${recipe.maxMinutes} minutes reached; resume to continue`);
          plot();
          return result('time limit');
        }
      }
      progress?.stop();

      const devTexts = dev.entries.map((e) => e.text);
      const d: DevScores = model instanceof RnntModel
        ? evaluateTransducer(model, dev.feats, dev.targets, devTexts, tokenizer, recipe.maxFrames)
        : evaluateDev(model, dev.feats, dev.targets, devTexts, tokenizer, recipe.maxFrames);
      log.append({ type: 'dev', step: trainer.step, epoch, loss: d.loss, cer: d.cer, wer: d.wer, phase: cur.phase, ...(d.impossible ? { impossible: d.impossible } : {}) });
      // Dev CER, ties broken by dev loss (the CER of a young model sits at 100% for a while).
      const improved = es.update(devScore(d), params.data);
      say(`epoch ${epoch}: dev loss ${d.loss.toFixed(4)}, CER ${(100 * d.cer).toFixed(2)}%, WER ${(100 * d.wer).toFixed(2)}%${improved ? ' (best)' : ''}`);
      if (improved) {
        const info = {
          epoch, step: trainer.step, phase: cur.phase, devCer: d.cer, devWer: d.wer, devLoss: d.loss, trainSeconds: Math.round(elapsed()),
          ...(model instanceof CrnnModel
            ? { trainImages: trainIdx.length }
            : { trainUtterances: trainIdx.length, trainHours: Number((train.entries.reduce((a, e) => a + e.amount, 0) / 3600).toFixed(3)) }),
          recipe,
        };
        if (model instanceof CrnnModel) saveLineModelDir(modelDir, { model, tokenizer, info });
        else saveModelDir(modelDir, { model, tokenizer, frontEnd: config.frontEnd as FrontEndConfig, cmvn: cmvn!, info });
      }
      let finished: string | null = null;
      if (es.shouldStop) {
        if (cur.phase === 1 && recipe.weightNoise > 0) {
          // Graves's second phase: back to the best weights, then on with weight noise.
          es.restoreBest(params.data);
          const next = new Trainer(model, { ...trainer.options, weightNoise: recipe.weightNoise }, loss, createOptimizer(recipe.optimizer));
          next.step = trainer.step;
          next.skippedSteps = trainer.skippedSteps;
          next.rng = trainer.rng;
          trainer = next;
          es = EarlyStopping.fromState({ ...es.state(), patience: recipe.noisePatience, badEpochs: 0 }, es.bestWeights);
          cur = { ...cur, phase: 2 };
          event(`dev CER stopped improving: weight noise ${recipe.weightNoise} on, from the weights of epoch ${es.bestEpoch}`);
        } else {
          finished = 'early stopping';
        }
      }
      if (!finished && epoch + 1 >= recipe.maxEpochs) finished = 'max epochs';
      if (finished) event(`finished (${finished}): best dev CER ${(100 * es.best!).toFixed(2)}% at epoch ${es.bestEpoch}`);
      cur = { ...cur, epoch: epoch + 1, batchIndex: 0 };
      checkpoint(epoch + 1, 0, finished);
      plot();
      if (finished) return result(finished);
    }
    plot();
    return result(cur.finished ?? 'stopped');
  } finally {
    log.close();
  }
}

/** The early-stopping score: the CER, plus the loss scaled far below one character's worth of CER. */
function devScore(d: DevScores): number {
  return d.cer + 1e-9 * Math.min(Number.isFinite(d.loss) ? d.loss : 1e6, 1e6);
}

function strip(c: RunConfig): RunConfig {
  const { maxEpochs: _a, maxMinutes: _b, checkpointMinutes: _c, ...rest } = c.training;
  return { ...c, training: rest as RunConfig['training'] };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
