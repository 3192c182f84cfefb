/**
 * sayre/model: the model kinds (CTC, RNN-T, CRNN), their configs, and model persistence (safetensors, checkpoints, model directories).
 * @packageDocumentation
 */
export { CtcModel } from './ctc-model.js';
export type { CtcModelOutput } from './ctc-model.js';
export { parseCtcModelConfig, resolveCtcModelConfig } from './config.js';
export type { CtcModelConfig, ResolvedCtcModelConfig } from './config.js';
export { stackFramesBackward, stackFramesForward, stackedLength } from './frame-stacking.js';
export { CrnnModel } from './crnn-model.js';
export { crnnReduction, isCrnnConfig, resolveCrnnModelConfig } from './crnn-config.js';
export type { CrnnBlockConfig, CrnnModelConfig, ResolvedCrnnModelConfig } from './crnn-config.js';
export { readSafetensors, writeSafetensors } from './io/safetensors.js';
export type { SafeArray, SafeDtype, SafeTensor, SafeTensorsFile } from './io/safetensors.js';
export { CHECKPOINT_FORMAT, checkpointMetadata, restoreWeights, writeCheckpointFile } from './io/checkpoint.js';
export type { CheckpointAttachments, CheckpointModel } from './io/checkpoint.js';
export type { LossFunction, TrainableModel } from './trainable.js';
export { RnntModel } from './transducer-model.js';
export type { JointPass, LabelInputGates, PredictionPass, PredictorState } from './transducer-model.js';
export { isTransducerConfig, resolveTransducerModelConfig } from './transducer-config.js';
export type { ResolvedTransducerModelConfig, TransducerModelConfig } from './transducer-config.js';
export { transducerObjective } from './transducer-objective.js';
export type { TransducerObjectiveOptions } from './transducer-objective.js';
export { createModel, loadModelWeights, modelFromCheckpoint, modelKind } from './model-kind.js';
export type { ModelKind } from './model-kind.js';
export { AcousticEncoder } from './acoustic-encoder.js';
export { EncoderStream, EncoderStreams } from './encoder-stream.js';
export type { OutputRows } from './encoder-stream.js';
export { loadModelDir, MODEL_FORMAT, readModelDirConfig, saveModelDir } from './io/model-dir.js';
export type { LoadedModel, ModelDirConfig } from './io/model-dir.js';
export { isLineModelDir, lineModelFromBytes, loadLineModelDir, saveLineModelDir } from './io/line-model-dir.js';
export type { LineModelDirConfig, LoadedLineModel } from './io/line-model-dir.js';
export { modelFromBytes, parseModelDirConfig } from './io/model-dir.js';
export { exportOnnx } from './export/export-onnx.js';
export { exportHalfPrecisionDir, writeHalfPrecisionWeights } from './io/half-precision.js';
export { averageModelDirs, writeAveragedWeights } from './io/average-weights.js';
export { widenCtcModel, widenModelDir } from './io/widen-weights.js';
export type { OnnxExportOptions } from './export/export-onnx.js';
