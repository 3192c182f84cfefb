import type { Backend } from '../backend/index.js';
import { resolveCtcModelConfig } from '../model/config.js';
import { CtcModel } from '../model/ctc-model.js';
import { type CheckpointModel, checkpointMetadata, restoreWeights, writeCheckpointFile } from '../model/io/checkpoint.js';
import { type SafeArray, type SafeTensorsFile, readSafetensors } from '../model/io/safetensors.js';
import { createModel } from '../model/model-kind.js';
import type { CrnnModel } from '../model/crnn-model.js';
import type { RnntModel } from '../model/transducer-model.js';
import { EarlyStopping, type EarlyStoppingState } from './early-stopping.js';
import { type Optimizer, type OptimizerState, optimizerFromState } from './optimizers.js';
import { naming } from '../util/naming.js';

/** What a checkpoint holds besides the model. */
export interface CheckpointExtras {
  optimizer?: Optimizer;
  /** Any JSON-able training state (step counters, RNG state, options). */
  trainer?: unknown;
  earlyStopping?: EarlyStopping;
}

/** A checkpoint read back. */
export interface LoadedCheckpoint<M extends CheckpointModel = CtcModel> {
  model: M;
  optimizer?: Optimizer;
  trainer?: unknown;
  earlyStopping?: { state: EarlyStoppingState; bestWeights?: Float32Array };
}

/**
 * Saves a model (each parameter under its PyTorch-style name, so that
 * `safetensors.torch.load_file` + `load_state_dict` read it) with its config, the optimiser's
 * state tensors (`optimizer.<name>`, flat over all parameters in storage order) and the
 * training state, as one safetensors file written atomically. Metadata: `format`,
 * `config` (the model config), `optimizer` ({kind, hyper}), `trainer`, `early_stopping`,
 * all JSON strings, and `checksum` ("crc32:" and 8 hex digits over every tensor's bytes in
 * file order), which loading verifies.
 */
export function saveCheckpoint(path: string, model: CheckpointModel, extras: CheckpointExtras = {}): void {
  const tensors: [string, { shape: number[]; data: SafeArray }][] = [];
  const metadata: Record<string, string> = {};
  if (extras.optimizer) {
    const s = extras.optimizer.state();
    metadata['optimizer'] = JSON.stringify({ kind: s.kind, hyper: s.hyper });
    for (const [name, data] of Object.entries(s.tensors)) tensors.push([`optimizer.${name}`, { shape: [data.length], data }]);
  }
  if (extras.trainer !== undefined) metadata['trainer'] = JSON.stringify(extras.trainer);
  if (extras.earlyStopping) {
    metadata['early_stopping'] = JSON.stringify(extras.earlyStopping.state());
    const best = extras.earlyStopping.bestWeights;
    if (best) tensors.push(['early_stopping.best_weights', { shape: [best.length], data: best }]);
  }
  writeCheckpointFile(path, model, { tensors, metadata });
}

/** Reads a checkpoint written by {@link saveCheckpoint}; the model's weights are exactly the saved ones. */
export function loadCheckpoint(path: string, options: { backend?: Backend } = {}): LoadedCheckpoint {
  return checkpointFromSafetensors(readSafetensors(path), path, options);
}

/** A checkpoint from a parsed safetensors file (bytes fetched in a browser, say); `path` names it in errors. */
export function checkpointFromSafetensors(file: SafeTensorsFile, path: string, options: { backend?: Backend } = {}): LoadedCheckpoint {
  const config = checkpointMetadata(file, path, 'config');
  return restoreCheckpoint(file, path, new CtcModel(resolveCtcModelConfig(config), options.backend ? { backend: options.backend } : {}));
}

/**
 * Puts a checkpoint's weights into `model` (built from its config by the caller: any model
 * kind) and reads back the optimiser, trainer and early-stopping state saved beside them.
 */
export function restoreCheckpoint<M extends CheckpointModel>(file: SafeTensorsFile, path: string, model: M): LoadedCheckpoint<M> {
  const meta = file.metadata;
  const parse = (key: string): unknown => checkpointMetadata(file, path, key);
  restoreWeights(file, path, model);
  const out: LoadedCheckpoint<M> = { model };
  if (meta['optimizer'] !== undefined) {
    const head = parse('optimizer') as Pick<OptimizerState, 'kind' | 'hyper'>;
    const tensors: Record<string, Float32Array> = {};
    for (const [name, t] of file.tensors) {
      if (!name.startsWith('optimizer.')) continue;
      if (!(t.data instanceof Float32Array) || t.data.length !== model.params.size) {
        throw new Error(`checkpoint ${path}: ${name} must be F32 with ${model.params.size} values`);
      }
      tensors[name.slice('optimizer.'.length)] = t.data;
    }
    out.optimizer = optimizerFromState({ kind: head.kind, hyper: head.hyper, tensors });
  }
  if (meta['trainer'] !== undefined) out.trainer = parse('trainer');
  if (meta['early_stopping'] !== undefined) {
    const best = file.tensors.get('early_stopping.best_weights');
    const es: { state: EarlyStoppingState; bestWeights?: Float32Array } = { state: parse('early_stopping') as EarlyStoppingState };
    if (best) es.bestWeights = best.data as Float32Array;
    out.earlyStopping = es;
  }
  return out;
}

/** Reads a sayre checkpoint of any model kind (Trainer.fromCheckpoint resumes from it, with the model's own objective). */
export function loadAnyCheckpoint(path: string, options: { backend?: Backend } = {}): LoadedCheckpoint<CtcModel | RnntModel | CrnnModel> {
  const file = readSafetensors(path);
  const config = checkpointMetadata(file, path, 'config');
  const model = naming(`checkpoint ${path}`, () => createModel(config, options.backend ? { backend: options.backend } : {}));
  return restoreCheckpoint(file, path, model);
}
