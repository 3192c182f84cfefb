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
 *
 * trainingRun reads top to bottom as its steps: open or resume the run (run-open.ts),
 * prepare the data (run-data.ts), make the trainer (run-session.ts), then per epoch: run
 * it, evaluate and save, switch phase. What differs by model kind is in model-kinds.ts.
 */
import type { FrontEndConfig } from '../../audio/front-end.js';
import { batchEpoch } from '../../data/batching.js';
import type { Backend } from '../../backend/index.js';
import { startProgress } from '../../report/progress.js';
import type { StartProgress } from '../../util/progress.js';
import { EarlyStopping } from '../early-stopping.js';
import type { LogRecord } from '../log.js';
import { createOptimizer } from '../optimizers.js';
import { Trainer } from '../trainer.js';
import type { DevScores } from './evaluate.js';
import { makeBatch, prepareData, type RunData } from './run-data.js';
import { type OpenRunOptions, openRun } from './run-open.js';
import { makeTrainer, type RunSession, type TrainingRunResult } from './run-session.js';

export type { TrainingRunResult } from './run-session.js';

/** Options of {@link trainingRun}. */
export interface TrainingRunOptions extends OpenRunOptions {
  backend?: Backend;
  /** Where the progress bar and messages go; default process.stderr; null for silence. */
  stream?: (NodeJS.WritableStream & { isTTY?: boolean }) | null;
  /** How progress is shown; default the terminal bar on `stream` (none when `stream` is null). */
  progress?: StartProgress | null;
  /**
   * Bytes of cached features a set (train, dev) may keep in memory; a larger set is read
   * from its cache file per batch. Default 2 GiB. Results do not depend on it.
   */
  featureMemory?: number;
}

/** Runs (or resumes) a training run; see the module doc. Resolves when the session ends. */
export async function trainingRun(options: TrainingRunOptions): Promise<TrainingRunResult> {
  const stream = options.stream === undefined ? process.stderr : options.stream;
  const say = (m: string): void => { stream?.write(`${m}\n`); };
  const progress = progressOf(options, stream);
  const run = openRun(options);
  const data = await prepareData(run, say, progress, options.featureMemory);
  const session = makeTrainer(run, data, options, say);
  try {
    if (!(await startSession(session, data))) return session.result('already finished');
    for (;;) {
      const epoch = session.cur.epoch;
      if (epoch >= run.config.training.maxEpochs) {
        await session.checkpoint(epoch, 0, 'max epochs');
        break;
      }
      if ((await runEpoch(session, data, progress)) === 'time limit') return session.result('time limit');
      await evaluateAndSave(session, data);
      const finished = switchPhase(session);
      session.cur = { ...session.cur, epoch: epoch + 1, batchIndex: 0 };
      await session.checkpoint(epoch + 1, 0, finished);
      session.plot();
      if (finished) return session.result(finished);
    }
    session.plot();
    return session.result(session.cur.finished ?? 'stopped');
  } finally {
    session.close();
  }
}

/** The progress reports of `options`: its own, or the terminal bar on the stream. */
function progressOf(options: TrainingRunOptions, stream: TrainingRunOptions['stream']): StartProgress | null {
  if (options.progress !== undefined) return options.progress;
  if (stream === null) return null;
  return (o) => startProgress({ ...o, ...(stream ? { stream } : {}) });
}

/** Says how the session starts (a new run commits its first checkpoint); false when the run had already finished. */
async function startSession(session: RunSession, data: RunData): Promise<boolean> {
  const recipe = session.run.config.training;
  // A run that ran out of epochs goes on when given more.
  if (session.cur.finished === 'max epochs' && session.cur.epoch < recipe.maxEpochs) session.cur = { ...session.cur, finished: null };
  if (session.cur.finished) return false;
  if (session.run.state) {
    const { cur, trainer } = session;
    session.event(`resumed at epoch ${cur.epoch}, batch ${cur.batchIndex}, step ${trainer.step} (phase ${cur.phase})`);
  } else {
    session.event(`started: ${data.trainIdx.length} training and ${data.dev.feats.length} dev utterances, ${session.model.params.size} parameters`, { config: session.run.modelConfig });
    await session.checkpoint(0, 0, null);
  }
  return true;
}

/**
 * Trains on the rest of the current epoch's batches, checkpointing every few minutes;
 * 'time limit' when the recipe's time ran out (checkpointed, so a resume continues).
 * Each step is awaited: synchronous on the CPU backends, one read-back on a device backend.
 */
async function runEpoch(session: RunSession, data: RunData, progress: StartProgress | null): Promise<'time limit' | undefined> {
  const recipe = session.run.config.training;
  const { epoch, phase } = session.cur;
  const batches = batchEpoch(data.lengths, data.batching, epoch);
  const framesOf = (b: readonly number[]): number => b.reduce((a, j) => a + data.lengths[j]!, 0);
  const total = batches.reduce((a, b) => a + framesOf(b), 0);
  const done = batches.slice(0, session.cur.batchIndex).reduce((a, b) => a + framesOf(b), 0);
  const bar = progress?.({ total, start: done, unit: 'frames', label: `epoch ${epoch}${phase === 2 ? ' (noise)' : ''}` });
  for (let i = session.cur.batchIndex; i < batches.length; i++) {
    const batch = makeBatch(data, recipe, batches[i]!, epoch, i);
    const t0 = performance.now();
    const r = await session.trainer.trainStepAsync(batch);
    const frames = framesOf(batches[i]!);
    const fps = frames / ((performance.now() - t0) / 1000);
    const rec: LogRecord = { type: 'train', step: session.trainer.step - 1, epoch, loss: r.loss, learningRate: r.lr, gradNorm: r.gradNorm, framesPerSecond: Math.round(fps), phase };
    if (r.skipped) rec['skipped'] = true;
    session.append(rec);
    bar?.tick(frames, { loss: r.loss });
    const timeUp = recipe.maxMinutes > 0 && session.elapsed() >= recipe.maxMinutes * 60;
    if (timeUp || session.checkpointDue()) {
      session.cur = { ...session.cur, batchIndex: i + 1 };
      await session.checkpoint(epoch, i + 1, null);
    }
    if (timeUp) {
      bar?.stop();
      session.event(`time limit of ${recipe.maxMinutes} minutes reached; resume to continue`);
      session.plot();
      return 'time limit';
    }
  }
  bar?.stop();
  return undefined;
}

/** Scores the dev set, logs it, and saves the model directory when the dev CER improved. */
async function evaluateAndSave(session: RunSession, data: RunData): Promise<void> {
  const { run, kind, model, cur } = session;
  const recipe = run.config.training;
  const epoch = cur.epoch;
  const d = await kind.evaluate(model, { feats: data.dev.feats, targets: data.dev.targets, texts: data.dev.entries.map((e) => e.text) }, run.tokenizer, recipe.maxFrames);
  session.append({ type: 'dev', step: session.trainer.step, epoch, loss: d.loss, cer: d.cer, wer: d.wer, phase: cur.phase, ...(d.impossible ? { impossible: d.impossible } : {}) });
  await session.weightsToHost(); // early stopping keeps, and the model directory saves, the host copy
  // Dev CER, ties broken by dev loss (the CER of a young model sits at 100% for a while).
  const improved = session.es.update(devScore(d), model.params.data);
  session.say(`epoch ${epoch}: dev loss ${d.loss.toFixed(4)}, CER ${(100 * d.cer).toFixed(2)}%, WER ${(100 * d.wer).toFixed(2)}%${improved ? ' (best)' : ''}`);
  if (improved) {
    const amount = data.train.entries.reduce((a, e) => a + e.amount, 0);
    const info = {
      epoch, step: session.trainer.step, phase: cur.phase, devCer: d.cer, devWer: d.wer, devLoss: d.loss, trainSeconds: Math.round(session.elapsed()),
      ...kind.trainInfo(data.trainIdx.length, amount),
      ...(run.startedFrom ? { startedFrom: run.startedFrom } : {}),
      recipe,
    };
    kind.save(session.modelDir, model, { tokenizer: run.tokenizer, frontEnd: run.config.frontEnd as FrontEndConfig, cmvn: data.cmvn, info });
  }
}

/**
 * After an epoch without improvement to wait for: Graves's second phase (back to the best
 * weights, on with weight noise), or the end of the run. Returns why the run finished, or null.
 */
function switchPhase(session: RunSession): string | null {
  const recipe = session.run.config.training;
  const { es, trainer, model } = session;
  let finished: string | null = null;
  if (es.shouldStop) {
    if (session.cur.phase === 1 && recipe.weightNoise > 0) {
      es.restoreBest(model.params.data);
      model.params.upload();
      const next = new Trainer(model, { ...trainer.options, weightNoise: recipe.weightNoise }, session.kind.loss(session.run.tokenizer), createOptimizer(recipe.optimizer));
      next.step = trainer.step;
      next.skippedSteps = trainer.skippedSteps;
      next.rng = trainer.rng;
      trainer.dispose();
      session.trainer = next;
      session.es = EarlyStopping.fromState({ ...es.state(), patience: recipe.noisePatience, badEpochs: 0 }, es.bestWeights);
      session.cur = { ...session.cur, phase: 2 };
      session.event(`dev CER stopped improving: weight noise ${recipe.weightNoise} on, from the weights of epoch ${session.es.bestEpoch}`);
    } else {
      finished = 'early stopping';
    }
  }
  if (!finished && session.cur.epoch + 1 >= recipe.maxEpochs) finished = 'max epochs';
  if (finished) session.event(`finished (${finished}): best dev CER ${(100 * session.es.best!).toFixed(2)}% at epoch ${session.es.bestEpoch}`);
  return finished;
}

/** The early-stopping score: the CER, plus the loss scaled far below one character's worth of CER. */
function devScore(d: DevScores): number {
  return d.cer + 1e-9 * Math.min(Number.isFinite(d.loss) ? d.loss : 1e6, 1e6);
}
