import { fileURLToPath } from 'node:url';

/** Name of the English model that ships in the package (models/<name>/). */
export const BUNDLED_MODEL_NAME = 'english';

/**
 * Path of the bundled model directory. This file runs from dist/src/recognizer/, so the
 * package root is three folders up.
 */
export function bundledModelDir(): string {
  return fileURLToPath(new URL(`../../../models/${BUNDLED_MODEL_NAME}/`, import.meta.url));
}
