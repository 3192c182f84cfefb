/**
 * Weights at half precision: a model's float32 tensors stored as binary16 (safetensors F16),
 * half the bytes on disk and over the network. Reading widens them back to float32, so
 * inference is the same code; each weight moves by at most 2^-11 of itself (rounding to
 * binary16's 11 significant bits), which the bundled models' outputs absorb (see the tests).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { dataChecksum, verifyChecksum } from './checkpoint.js';
import { resolveModelLmConfig } from './model-lm.js';
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
 * config takes from a sibling directory (`../english/lm.arpa.gz`) copied in, so the copy
 * stands alone. Returns the files written.
 */
export function exportHalfPrecisionDir(srcDir: string, dstDir: string): string[] {
  if (resolve(srcDir) === resolve(dstDir)) throw new Error(`${dstDir}: the copy needs a folder of its own, not the model's`);
  if (!existsSync(join(srcDir, 'model.safetensors')) || !existsSync(join(srcDir, 'config.json'))) {
    throw new Error(`${srcDir}: not a model directory (needs config.json and model.safetensors)`);
  }
  if (existsSync(dstDir) && readdirSync(dstDir).length > 0) throw new Error(`${dstDir}: exists and is not empty`);
  // Written into a folder beside the destination, then renamed into place: a stopped export leaves no half model.
  mkdirSync(dirname(resolve(dstDir)), { recursive: true });
  const tmp = mkdtempSync(join(dirname(resolve(dstDir)), `.${basename(dstDir)}.`));
  try {
    const config = JSON.parse(readFileSync(join(srcDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const names: string[] = [];
    const lm = resolveModelLmConfig(config['lm'], `${srcDir}/config.json: lm`);
    if (lm && lm.file.startsWith('../')) {
      const file = basename(lm.file);
      copyFileSync(join(srcDir, lm.file), join(tmp, file));
      names.push(file);
      config['lm'] = { ...lm, file };
    }
    for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === 'model.safetensors' || entry.name === 'config.json' || entry.name.startsWith('.')) continue;
      copyFileSync(join(srcDir, entry.name), join(tmp, entry.name));
      names.push(entry.name);
    }
    writeHalfPrecisionWeights(join(srcDir, 'model.safetensors'), join(tmp, 'model.safetensors'));
    writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    if (existsSync(dstDir)) rmdirSync(dstDir);
    renameSync(tmp, dstDir);
    return ['model.safetensors', 'config.json', ...names].map((n) => join(dstDir, n));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
