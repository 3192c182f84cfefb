/**
 * One config mechanism for every model kind: a model config's `"type"` says which model it
 * describes ("rnnt": {@link RnntModel}; "crnn": CrnnModel; none or "ctc": CtcModel), and
 * checkpoints, which store that config, load as the right kind.
 */
import type { Backend } from '../backend/index.js';
import { checkpointMetadata, restoreWeights } from './io/checkpoint.js';
import { type SafeTensorsFile, readSafetensors } from './io/safetensors.js';
import { resolveCtcModelConfig } from './config.js';
import { isCrnnConfig, resolveCrnnModelConfig } from './crnn-config.js';
import { CrnnModel } from './crnn-model.js';
import { CtcModel } from './ctc-model.js';
import { isTransducerConfig, resolveTransducerModelConfig } from './transducer-config.js';
import { RnntModel } from './transducer-model.js';
import { naming } from '../util/naming.js';

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

/** The model saved in a parsed checkpoint file, of whatever kind its config names; `path` names it in errors. */
export function modelFromCheckpoint(file: SafeTensorsFile, path: string, options: { backend?: Backend } = {}): CtcModel | RnntModel | CrnnModel {
  const config = checkpointMetadata(file, path, 'config');
  return restoreWeights(file, path, naming(`checkpoint ${path}`, () => createModel(config, options.backend ? { backend: options.backend } : {})));
}

/** Reads the model (weights and config, no training state) of a checkpoint file of any model kind. */
export function loadModelWeights(path: string, options: { backend?: Backend } = {}): CtcModel | RnntModel | CrnnModel {
  return modelFromCheckpoint(readSafetensors(path), path, options);
}
