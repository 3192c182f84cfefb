/**
 * Manifests: JSON lines, one utterance per line,
 * `{"audio": "relative/path.wav", "text": "...", "duration": 3.2, ...}`, with audio paths
 * relative to the manifest's folder. Reading validates every line and reports errors by
 * line number; writing is atomic.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readFileBounded } from '../util/read-bounded.js';

/** Optional augmentation record: what was done to the audio. */
export interface AugmentationRecord {
  /** sox speed (pitch, formants and tempo together). */
  speed?: number;
  /** Vocal-tract-length factor: formants scaled by it, F0 and tempo kept. */
  vtlp?: number;
  /** F0 scaled by this factor (beyond the vocal-tract change). */
  f0?: number;
  /** F0 range (standard deviation of the intonation) scaled by this factor. */
  f0Range?: number;
  /** Speaking rate factor (> 1 is faster), pitch kept. */
  tempo?: number;
  noiseSnrDb?: number;
  reverb?: number;
  /** The 300-3400 Hz band. */
  telephone?: boolean;
  /** Band limits in Hz. */
  bandLow?: number;
  bandHigh?: number;
  /** Through the GSM 06.10 codec at 8 kHz. */
  gsm?: boolean;
}

/** One manifest line. */
export interface ManifestEntry {
  /** Audio path relative to the manifest's folder. */
  audio: string;
  /** Normalised transcript. */
  text: string;
  /** Seconds. */
  duration: number;
  /** Speaker or TTS voice id. */
  voice?: string;
  speaker?: string;
  augmentation?: AugmentationRecord;
  /** Any other fields are kept as they are. */
  [extra: string]: unknown;
}

/** A manifest entry with its audio path resolved. */
export interface ResolvedEntry extends ManifestEntry {
  /** Absolute path of the audio file. */
  audioPath: string;
  /** 1-based line of the entry in its manifest. */
  line: number;
}

/** Options of {@link parseManifest} / {@link readManifest}. */
export interface ManifestReadOptions {
  /** Also check that every audio file exists. Default false. */
  checkAudio?: boolean;
}

/** A problem in a manifest, with the file and line. */
export class ManifestError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ManifestError';
  }
}

function validate(value: unknown, file: string, line: number): ManifestEntry {
  const fail = (detail: string): never => { throw new ManifestError(file, line, detail); };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  const o = value as Record<string, unknown>;
  if (typeof o['audio'] !== 'string' || o['audio'] === '') return fail('"audio" must be a non-empty string (a path relative to the manifest)');
  if (typeof o['text'] !== 'string') return fail('"text" must be a string');
  const d = o['duration'];
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) return fail(`"duration" must be a positive number of seconds, got ${JSON.stringify(d)}`);
  for (const key of ['voice', 'speaker'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'string') fail(`"${key}" must be a string`);
  }
  const aug = o['augmentation'];
  if (aug !== undefined) {
    if (typeof aug !== 'object' || aug === null || Array.isArray(aug)) fail('"augmentation" must be an object');
    for (const [k, v] of Object.entries(aug as Record<string, unknown>)) {
      if (k === 'telephone' || k === 'gsm' ? typeof v !== 'boolean' : typeof v !== 'number' || !Number.isFinite(v)) {
        fail(`"augmentation.${k}" has a bad value ${JSON.stringify(v)}`);
      }
    }
  }
  return o as ManifestEntry;
}

/**
 * Parses manifest text. `file` (the manifest's path) names it in errors and anchors the
 * relative audio paths. Blank lines are skipped.
 */
export function parseManifest(text: string, file: string, options: ManifestReadOptions = {}): ResolvedEntry[] {
  const base = dirname(resolve(file));
  const out: ResolvedEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new ManifestError(file, line, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const entry = validate(value, file, line);
    const audioPath = isAbsolute(entry.audio) ? entry.audio : resolve(base, entry.audio);
    if (options.checkAudio && !existsSync(audioPath)) throw new ManifestError(file, line, `audio file ${audioPath} does not exist`);
    out.push({ ...entry, audioPath, line });
  });
  return out;
}

/** Reads and validates a manifest file. */
export function readManifest(file: string, options: ManifestReadOptions = {}): ResolvedEntry[] {
  return parseManifest(readFileBounded(file, 'manifest').toString('utf8'), file, options);
}

/** Manifest text for `entries` (one JSON object per line; resolved paths are dropped). */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  return entries.map((e, i) => {
    const { audioPath: _a, line: _l, ...rest } = e as ManifestEntry & Partial<ResolvedEntry>;
    validate(rest, '<entries>', i + 1);
    return JSON.stringify(rest);
  }).join('\n') + (entries.length ? '\n' : '');
}

/** Writes `entries` to `file` atomically, after validating each. */
export function writeManifest(file: string, entries: readonly ManifestEntry[]): void {
  writeFileAtomic(file, formatManifest(entries));
}
