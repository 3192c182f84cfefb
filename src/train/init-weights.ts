/** Fine-tuning: a new run's model starts from every weight of an earlier checkpoint of the same architecture. */
import { type CheckpointModel, checkpointMetadata, restoreWeights } from '../model/io/checkpoint.js';
import { readSafetensors } from '../model/io/safetensors.js';
import { modelKind } from '../model/model-kind.js';

/**
 * Copies every parameter of the checkpoint at `path` (a run's ckpt-N.safetensors or a model
 * directory's model.safetensors) into `model`. Only the weights come over: the new run has
 * its own optimiser, schedule and early stopping, which is what fine-tuning with another
 * learning rate or on other data needs. Throws when the model kinds differ or a parameter
 * is missing or of another shape. Returns how many values were copied.
 */
export function initWeightsFrom(model: CheckpointModel, path: string): number {
  const file = readSafetensors(path);
  const theirs = modelKind(checkpointMetadata(file, path, 'config')), ours = modelKind(model.config);
  if (theirs !== ours) throw new Error(`${path}: a ${theirs} model; this run trains a ${ours} model`);
  restoreWeights(file, path, model);
  return model.params.size;
}
