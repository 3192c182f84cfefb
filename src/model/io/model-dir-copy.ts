/**
 * A copy of a model directory with new weights: what half-precision export and weight
 * averaging share. Everything but the weights is copied as it is, an LM that the config
 * takes from a sibling directory (`../english/lm.arpa.gz`) copied in so the copy stands
 * alone, and the whole is written into a folder beside the destination and renamed into
 * place, so a stopped copy leaves no half model.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { resolveModelLmConfig } from './model-lm.js';

/** Throws unless `dir` holds config.json and model.safetensors. */
export function assertModelDir(dir: string): void {
  if (!existsSync(join(dir, 'model.safetensors')) || !existsSync(join(dir, 'config.json'))) {
    throw new Error(`${dir}: not a model directory (needs config.json and model.safetensors)`);
  }
}

/** What a copy changes besides the weights. */
export interface ModelDirCopyOptions {
  /** Changes the copy's config (its `lm` already pointing at the copied-in file). */
  editConfig?: (config: Record<string, unknown>) => void;
  /** Fields added to the copy's config `info` (where the new weights came from), beside those it has. */
  info?: Record<string, unknown>;
  /** Files of the source not to copy (a model card that would describe other weights). */
  omit?: readonly string[];
}

/**
 * Copies the model directory `srcDir` to `dstDir` (new or empty): `writeWeights` writes the
 * copy's model.safetensors to the path it is given. Returns the files written.
 */
export function copyModelDir(
  srcDir: string, dstDir: string, writeWeights: (path: string) => void, options: ModelDirCopyOptions = {},
): string[] {
  if (resolve(srcDir) === resolve(dstDir)) throw new Error(`${dstDir}: the copy needs a folder of its own, not the model's`);
  assertModelDir(srcDir);
  if (existsSync(dstDir) && readdirSync(dstDir).length > 0) throw new Error(`${dstDir}: exists and is not empty`);
  mkdirSync(dirname(resolve(dstDir)), { recursive: true });
  const tmp = mkdtempSync(join(dirname(resolve(dstDir)), `.${basename(dstDir)}.`));
  try {
    chmodSync(tmp, 0o755); // mkdtemp's folder is private; a model directory is not
    const config = JSON.parse(readFileSync(join(srcDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const names: string[] = [];
    const lm = resolveModelLmConfig(config['lm'], `${srcDir}/config.json: lm`);
    const own = (file: string): string => {
      if (!file.startsWith('../')) return file;
      copyFileSync(join(srcDir, file), join(tmp, basename(file)));
      names.push(basename(file));
      return basename(file);
    };
    if (lm) config['lm'] = { ...lm, file: own(lm.file), ...(lm.wordLm ? { wordLm: { ...lm.wordLm, file: own(lm.wordLm.file) } } : {}) };
    for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === 'model.safetensors' || entry.name === 'config.json' || entry.name.startsWith('.')) continue;
      if (options.omit?.includes(entry.name)) continue;
      copyFileSync(join(srcDir, entry.name), join(tmp, entry.name));
      names.push(entry.name);
    }
    writeWeights(join(tmp, 'model.safetensors'));
    options.editConfig?.(config);
    if (options.info) {
      const info = typeof config['info'] === 'object' && config['info'] !== null ? config['info'] as Record<string, unknown> : {};
      config['info'] = { ...info, ...options.info };
    }
    writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    if (existsSync(dstDir)) rmdirSync(dstDir);
    renameSync(tmp, dstDir);
    return ['model.safetensors', 'config.json', ...names].map((n) => join(dstDir, n));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
