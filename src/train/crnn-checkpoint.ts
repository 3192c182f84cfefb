/** CRNN checkpoints: the sayre checkpoint format (train/checkpoint.ts) with a CRNN config. */
import type { Backend } from '../backend/index.js';
import { type LoadedCheckpoint, restoreCheckpoint } from './checkpoint.js';
import { checkpointMetadata } from '../model/io/checkpoint.js';
import { readSafetensors } from '../model/io/safetensors.js';
import { resolveCrnnModelConfig } from '../model/crnn-config.js';
import { CrnnModel } from '../model/crnn-model.js';

/**
 * Reads a checkpoint that saveCheckpoint / Trainer.save wrote for a {@link CrnnModel}:
 * weights exactly as saved, plus any optimiser, trainer and early-stopping state
 * (Trainer.fromCheckpoint resumes from it).
 */
export function loadCrnnCheckpoint(path: string, options: { backend?: Backend } = {}): LoadedCheckpoint<CrnnModel> {
  const file = readSafetensors(path);
  const config = resolveCrnnModelConfig(checkpointMetadata(file, path, 'config'));
  return restoreCheckpoint(file, path, new CrnnModel(config, options.backend ? { backend: options.backend } : {}));
}
