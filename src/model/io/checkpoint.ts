/**
 * A model's weights and config in one safetensors file: the part of a checkpoint that
 * inference needs. Training state (optimiser, early stopping) rides along as extra tensors
 * and metadata written by train/checkpoint.ts.
 */
import type { Parameters } from '../../nn/parameters.js';
import { crc32 } from '../../util/crc32.js';
import { type SafeArray, type SafeDtype, type SafeTensorsFile, storedBytes, writeSafetensors } from './safetensors.js';

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
 * `config`, plus `attachments`, as one safetensors file written atomically. Metadata
 * `checksum` ("crc32:" and 8 hex digits over every tensor's bytes in file order) lets
 * {@link restoreWeights} tell a damaged file.
 */
export function writeCheckpointFile(path: string, model: CheckpointModel, attachments: CheckpointAttachments = {}): void {
  const tensors: [string, { shape: number[]; data: SafeArray }][] = [];
  for (const e of model.params.entries) tensors.push([e.name, { shape: [...e.shape], data: model.params.value(e.name) }]);
  tensors.push(...(attachments.tensors ?? []));
  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT, config: JSON.stringify(model.config), ...attachments.metadata };
  metadata['checksum'] = dataChecksum(tensors.map(([, t]) => t));
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

/**
 * Puts a checkpoint's weights into `model` (built from its config by the caller: any model
 * kind), after checking the file's checksum; throws naming the checkpoint for damaged data
 * or non-finite weights.
 */
export function restoreWeights<M extends CheckpointModel>(file: SafeTensorsFile, path: string, model: M): M {
  verifyChecksum(file, path);
  for (const e of model.params.entries) {
    const t = file.tensors.get(e.name);
    if (!t) throw new Error(`checkpoint ${path}: parameter ${e.name} is missing`);
    if ((t.dtype !== 'F32' && t.dtype !== 'F16') || t.shape.join() !== e.shape.join()) {
      throw new Error(`checkpoint ${path}: ${e.name} is ${t.dtype} [${t.shape.join(', ')}], expected F32 or F16 [${e.shape.join(', ')}]`);
    }
    const bad = (t.data as Float32Array).findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`checkpoint ${path}: ${e.name} holds a non-finite value (${t.data[bad]}) at index ${bad}`);
    model.params.value(e.name).set(t.data);
  }
  model.params.upload();
  return model;
}

/** "crc32:" and 8 hex digits: the CRC-32 of the tensors' stored bytes (little-endian), one after another. */
export function dataChecksum(tensors: Iterable<{ data: SafeArray; dtype?: SafeDtype }>): string {
  let crc = 0;
  for (const t of tensors) crc = crc32(storedBytes(t), crc);
  return `crc32:${crc.toString(16).padStart(8, '0')}`;
}

/**
 * Throws, naming the checkpoint, when its `checksum` metadata does not match its tensors
 * (flipped or damaged bytes); a file without one (written before checksums) passes.
 */
export function verifyChecksum(file: SafeTensorsFile, path: string): void {
  const stored = file.metadata['checksum'];
  if (stored === undefined) return;
  const actual = dataChecksum(file.tensors.values());
  if (stored !== actual) throw new Error(`checkpoint ${path}: checksum mismatch (stored ${stored}, data ${actual}): the file is damaged; resume from another checkpoint or retrain`);
}
