/**
 * sayre/train: optimisers, weight noise, early stopping, checkpoints, the Trainer and the training run.
 * @packageDocumentation
 */
export { readTrainingLog, TrainingLogWriter } from './log.js';
export type { DevRecord, EventRecord, LogRecord, TrainingLogContents, TrainingLogWriterOptions, TrainStepRecord } from './log.js';
export { trainingCurves, trainingPlotSvg, writeTrainingPlot } from './plot.js';
export type { TrainingCurves, TrainingPlotOptions } from './plot.js';
export { loadCrnnCheckpoint } from './crnn-checkpoint.js';
export { Adam, Sgd, createOptimizer, optimizerFromState } from './optimizers.js';
export type { AdamOptions, Optimizer, OptimizerConfig, OptimizerState, SgdOptions } from './optimizers.js';
export { clipGradNorm, gradNorm } from './clip.js';
export { learningRate } from './schedule.js';
export type { LrSchedule } from './schedule.js';
export { WeightNoise } from './weight-noise.js';
export { EarlyStopping } from './early-stopping.js';
export type { EarlyStoppingState } from './early-stopping.js';
export { loadAnyCheckpoint, loadCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
export type { CheckpointExtras, LoadedCheckpoint } from './checkpoint.js';
export { Trainer } from './trainer.js';
export { ctcObjective } from './ctc-objective.js';
export type { Batch, StepResult, TrainerOptions } from './trainer.js';
export { initEncoderFromCtc, initEncoderFromCtcCheckpoint, loadTransducerCheckpoint } from './transducer-checkpoint.js';
export { evaluateTransducer } from './run/evaluate-transducer.js';
export { trainingRun } from './run/training-run.js';
export type { TrainingRunOptions, TrainingRunResult } from './run/training-run.js';
export { batchingOf, DEFAULT_RECIPE, resolveRunConfig } from './run/run-config.js';
export type { RunConfig, TrainingRecipe } from './run/run-config.js';
export { evaluateDev } from './run/evaluate.js';
export type { DevScores } from './run/evaluate.js';
export { runInput } from './run/run-input.js';
export type { InputItem, RunFrontEnd, RunInput } from './run/run-input.js';
export { trainVad, vadTrainingFrames } from './vad/train-vad.js';
export type { LabelledAudio, VadTrainOptions } from './vad/train-vad.js';
export { chooseVadThreshold, evaluateVad } from './vad/evaluate-vad.js';
export type { SnrExample, VadEvaluation } from './vad/evaluate-vad.js';
export { vadWeightsModule } from './vad/vad-weights-module.js';
