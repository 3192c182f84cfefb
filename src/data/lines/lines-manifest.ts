/**
 * Reading text-line manifests (JSON lines, `{"image": "images/train/0000001.png",
 * "text": ..., ...}`, image paths relative to the manifest), as `sayre corpus lines` writes
 * them. Every line is validated; errors give the file and line.
 */
import { readFileBounded } from '../../util/read-bounded.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ManifestError } from '../manifest.js';

/** A line-manifest entry with its image path resolved. */
export interface LineEntry {
  /** The image path as written. */
  image: string;
  /** Absolute path of the image. */
  imagePath: string;
  text: string;
  /** Other fields (font, handwriting, reserved, augmentation) as written. */
  extra: Record<string, unknown>;
  /** 1-based line in the manifest. */
  line: number;
}

/** Parses line-manifest text; `file` names it in errors and anchors relative paths. */
export function parseLineManifest(text: string, file: string): LineEntry[] {
  const base = dirname(resolve(file));
  const out: LineEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new ManifestError(file, line, `invalid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManifestError(file, line, 'expected a JSON object');
    const { image, text: label, ...extra } = value as Record<string, unknown>;
    if (typeof image !== 'string' || image === '') throw new ManifestError(file, line, '"image" must be a non-empty string (a path relative to the manifest)');
    if (typeof label !== 'string') throw new ManifestError(file, line, '"text" must be a string');
    out.push({ image, imagePath: isAbsolute(image) ? image : resolve(base, image), text: label, extra, line });
  });
  return out;
}

/** Reads and validates a line manifest. */
export function readLineManifest(file: string): LineEntry[] {
  return parseLineManifest(readFileBounded(file, 'line manifest').toString('utf8'), file);
}
