/**
 * One config mechanism for every model kind: a model config's `"type"` says which model it
 * describes ("rnnt": {@link RnntModel}; "crnn": CrnnModel; none or "ctc": CtcModel), and
 * checkpoints, which store that config, load as the right kind.
 */
import type { Backend } from '../backend/index.js';
import { type LoadedCheckpoint, checkpointMetadata, restoreCheckpoint } from '../train/checkpoint.js';
import { readSafetensors } from '../train/safetensors.js';
import { resolveCtcModelConfig } from './config.js';
import { isCrnnConfig, resolveCrnnModelConfig } from './crnn-config.js';
import { CrnnModel } from './crnn-model.js';
import { CtcModel } from './ctc-model.js';
import { isTransducerConfig, resolveTransducerModelConfig } from './transducer-config.js';
import { RnntModel } from './transducer-model.js';

/** Which model a config describes. */
export type ModelKind = 'ctc' | 'rnnt' | 'crnn';

/** The kind of a parsed model config (by its "type"; no type is CTC). */
export function modelKind(config: unknown): ModelKind {
  if (isTransducerConfig(config)) return 'rnnt';
  if (isCrnnConfig(config)) return 'crnn';
  return 'ctc';
}

/** A model of the kind its config names, weights drawn from `seed`; throws naming the bad field. */
export function createModel(config: unknown, options: { backend?: Backend; seed?: number } = {}): CtcModel | RnntModel | CrnnModel {
  switch (modelKind(config)) {
    case 'rnnt': return new RnntModel(resolveTransducerModelConfig(config), options);
    case 'crnn': return new CrnnModel(resolveCrnnModelConfig(config), options);
    default: return new CtcModel(resolveCtcModelConfig(config), options);
  }
}

/** Reads a sayre checkpoint of any model kind (Trainer.fromCheckpoint resumes from it, with the model's own objective). */
export function loadAnyCheckpoint(path: string, options: { backend?: Backend } = {}): LoadedCheckpoint<CtcModel | RnntModel | CrnnModel> {
  const file = readSafetensors(path);
  const model = createModel(checkpointMetadata(file, path, 'config'), options.backend ? { backend: options.backend } : {});
  return restoreCheckpoint(file, path, model);
}
