/**
 * Weights at half precision: a model's float32 tensors stored as binary16 (safetensors F16),
 * half the bytes on disk and over the network. Reading widens them back to float32, so
 * inference is the same code; each weight moves by at most 2^-11 of itself (rounding to
 * binary16's 11 significant bits), which the bundled models' outputs absorb (see the tests).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { dataChecksum, verifyChecksum } from './checkpoint.js';
import { copyModelDir } from './model-dir-copy.js';
import { type SafeTensorInput, readSafetensors, writeSafetensors } from './safetensors.js';

/**
 * Writes the weights file `src` to `dst` with every F32 tensor stored as F16 (others as they
 * are), keeping its metadata and recomputing its checksum over the stored bytes. Throws
 * for a damaged file or a value beyond binary16's range (±65504). Returns both sizes.
 */
export function writeHalfPrecisionWeights(src: string, dst: string): { bytesBefore: number; bytesAfter: number } {
  const file = readSafetensors(src);
  verifyChecksum(file, src);
  const tensors: [string, SafeTensorInput][] = [...file.tensors].map(([name, t]) =>
    [name, { shape: t.shape, data: t.data, ...(t.dtype === 'F32' || t.dtype === 'F16' ? { dtype: 'F16' as const } : {}) }]);
  const metadata = { ...file.metadata };
  if (metadata['checksum'] !== undefined) metadata['checksum'] = dataChecksum(tensors.map(([, t]) => t));
  try {
    writeSafetensors(dst, tensors, metadata);
  } catch (err) {
    throw new Error(`${src}: cannot store at half precision: ${(err as Error).message}`, { cause: err });
  }
  return { bytesBefore: statSync(src).size, bytesAfter: statSync(dst).size };
}

/**
 * Copies the model directory `srcDir` to `dstDir` (new or empty) with its weights at half
 * precision: config.json, the model card and other files as they are, and an LM that the
 * config takes from a sibling directory copied in, so the copy stands alone. Returns the
 * files written.
 */
export function exportHalfPrecisionDir(srcDir: string, dstDir: string): string[] {
  return copyModelDir(srcDir, dstDir, (path) => writeHalfPrecisionWeights(join(srcDir, 'model.safetensors'), path));
}
