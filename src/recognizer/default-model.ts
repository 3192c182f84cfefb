import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Name of the English model that ships in the package (models/<name>/). */
export const BUNDLED_MODEL_NAME = 'english';

/**
 * Path of the bundled model `name` (models/<name>/). This file runs from
 * dist/src/recognizer/, so the package root is three folders up.
 */
export function bundledModelPath(name: string): string {
  return fileURLToPath(new URL(`../../../models/${name}/`, import.meta.url));
}

/** Path of the bundled English model directory. */
export function bundledModelDir(): string {
  return bundledModelPath(BUNDLED_MODEL_NAME);
}

/** Name of the bundled streaming English model (unidirectional encoder): what live streams use by default. */
export const BUNDLED_STREAMING_MODEL_NAME = 'english-streaming';

/**
 * The model a live stream (`transcribe --stream`, `listen`, the server's stream endpoints)
 * uses when none is named: the bundled streaming model, or the bundled English model where
 * the streaming one is not installed (a bidirectional model re-reads each utterance).
 */
export function defaultStreamingModelDir(): string {
  return bundledModelNames().includes(BUNDLED_STREAMING_MODEL_NAME) ? bundledModelPath(BUNDLED_STREAMING_MODEL_NAME) : bundledModelDir();
}

/** Names of the models that ship in the package (folders of models/ with a config.json). */
export function bundledModelNames(): string[] {
  const root = fileURLToPath(new URL('../../../models/', import.meta.url));
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((n) => existsSync(`${root}${n}/config.json`)).sort();
}

/**
 * What a `--model` value names: a directory or any path with a slash as given, else the
 * bundled model of that name (`english`, `text-lines`); throws listing the bundled names.
 */
export function resolveModelDir(nameOrDir: string): string {
  if (existsSync(nameOrDir) && statSync(nameOrDir).isDirectory()) return nameOrDir;
  // A path (not a bare name) goes to the loader as given, which says what is wrong with it.
  if (!/^[\w.-]+$/.test(nameOrDir)) return nameOrDir;
  if (bundledModelNames().includes(nameOrDir)) return bundledModelPath(nameOrDir);
  throw new Error(`--model ${nameOrDir}: no such model directory, and no bundled model of that name (bundled: ${bundledModelNames().join(', ') || 'none'})`);
}
