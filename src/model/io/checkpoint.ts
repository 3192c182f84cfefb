/**
 * A model's weights and config in one safetensors file: the part of a checkpoint that
 * inference needs. Training state (optimiser, early stopping) rides along as extra tensors
 * and metadata written by train/checkpoint.ts.
 */
import type { Parameters } from '../../nn/parameters.js';
import { type SafeArray, type SafeTensorsFile, writeSafetensors } from './safetensors.js';

/** The `format` metadata value of sayre checkpoints. */
export const CHECKPOINT_FORMAT = 'sayre.ctc-checkpoint/1';

/** What a checkpoint stores of a model: its parameters and its JSON config (CtcModel, CrnnModel). */
export interface CheckpointModel {
  readonly params: Parameters;
  readonly config: object;
}

/** Tensors and metadata saved beside a model's own (a trainer's state). */
export interface CheckpointAttachments {
  tensors?: [string, { shape: number[]; data: SafeArray }][];
  metadata?: Record<string, string>;
}

/**
 * Writes a model (each parameter under its PyTorch-style name, so that
 * `safetensors.torch.load_file` + `load_state_dict` read it) with its config as metadata
 * `config`, plus `attachments`, as one safetensors file written atomically.
 */
export function writeCheckpointFile(path: string, model: CheckpointModel, attachments: CheckpointAttachments = {}): void {
  const tensors: [string, { shape: number[]; data: SafeArray }][] = [];
  for (const e of model.params.entries) tensors.push([e.name, { shape: [...e.shape], data: model.params.value(e.name) }]);
  tensors.push(...(attachments.tensors ?? []));
  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT, config: JSON.stringify(model.config), ...attachments.metadata };
  writeSafetensors(path, tensors, metadata);
}

/** Metadata entry `key` of a sayre checkpoint, parsed as JSON (the format is checked first). */
export function checkpointMetadata(file: SafeTensorsFile, path: string, key: string): unknown {
  const meta = file.metadata;
  if (meta['format'] !== CHECKPOINT_FORMAT) {
    throw new Error(`checkpoint ${path}: format ${JSON.stringify(meta['format'])} is not ${CHECKPOINT_FORMAT}`);
  }
  try {
    return JSON.parse(meta[key]!) as unknown;
  } catch (err) {
    throw new Error(`checkpoint ${path}: metadata "${key}" is not JSON (${(err as Error).message})`);
  }
}

/** Puts a checkpoint's weights into `model` (built from its config by the caller: any model kind). */
export function restoreWeights<M extends CheckpointModel>(file: SafeTensorsFile, path: string, model: M): M {
  for (const e of model.params.entries) {
    const t = file.tensors.get(e.name);
    if (!t) throw new Error(`checkpoint ${path}: parameter ${e.name} is missing`);
    if (t.dtype !== 'F32' || t.shape.join() !== e.shape.join()) {
      throw new Error(`checkpoint ${path}: ${e.name} is ${t.dtype} [${t.shape.join(', ')}], expected F32 [${e.shape.join(', ')}]`);
    }
    model.params.value(e.name).set(t.data);
  }
  return model;
}
