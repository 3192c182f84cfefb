/**
 * `sayre corpus import`: public corpora as sayre manifests. A layout reader lists the
 * utterances; each transcript is normalised as the character tokenizer needs
 * (normaliseText), each duration is read from the audio file's header, and every item that
 * cannot be used (missing or unreadable audio, characters the normaliser cannot map, an
 * empty transcript) is listed in import-report.txt instead of stopping the import.
 */
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { type ManifestEntry, writeManifest } from '../../data/manifest.js';
import { normaliseText } from '../../data/normalise-text.js';
import { audioHeaderInfo } from './audio-duration.js';
import { COMMON_VOICE_SPLITS, scanCommonVoice } from './common-voice.js';
import type { ImportProblem, LayoutScan, RawUtterance } from './layout.js';
import { scanLibriSpeech } from './librispeech.js';
import { scanLjSpeech } from './ljspeech.js';
import { splitOf } from './split-by-id.js';
import { scanTsv } from './tsv.js';

/** The corpus layouts sayre reads. */
export const CORPUS_LAYOUTS = ['librispeech', 'commonvoice', 'ljspeech', 'tsv'] as const;
export type CorpusLayout = (typeof CORPUS_LAYOUTS)[number];

/** Options of {@link importCorpus}. */
export interface ImportOptions {
  layout: CorpusLayout;
  /** The corpus folder (for tsv: a folder of .tsv files, or one .tsv file). */
  dir: string;
  /** Where the manifests and the report go (default: `dir`); audio paths are relative to it. */
  outDir?: string;
  /** Shares of dev and test cut off corpora without splits of their own (LJ Speech, one TSV). Default 0.05 each. */
  devShare?: number;
  testShare?: number;
  /** Common Voice: which TSVs to import (default train, dev, test). */
  splits?: readonly string[];
  /** Called after each utterance. */
  onProgress?: (done: number, total: number) => void;
}

/** One manifest written. */
export interface ImportedManifest {
  name: string;
  path: string;
  utterances: number;
  hours: number;
}

export interface ImportSummary {
  manifests: ImportedManifest[];
  /** Items left out, with why. */
  problems: ImportProblem[];
  reportPath: string;
}

function scan(o: ImportOptions): LayoutScan {
  switch (o.layout) {
    case 'librispeech': return scanLibriSpeech(o.dir);
    case 'commonvoice': return scanCommonVoice(o.dir, o.splits ?? COMMON_VOICE_SPLITS);
    case 'ljspeech': return scanLjSpeech(o.dir);
    case 'tsv': return scanTsv(o.dir);
  }
}

/** The manifest entry of `u`, or the reason it cannot be one. */
function entryOf(u: RawUtterance, outDir: string): ManifestEntry | string {
  const { text, unmappable } = normaliseText(u.text);
  if (unmappable.length > 0) return `characters the normaliser cannot map: ${unmappable.map((c) => JSON.stringify(c)).join(' ')} in ${JSON.stringify(u.text)}`;
  if (text === '') return `empty transcript after normalisation (${JSON.stringify(u.text)})`;
  let seconds: number;
  try {
    seconds = audioHeaderInfo(u.audioPath).seconds;
  } catch (err) {
    return `unreadable audio header: ${(err as Error).message.replace(`${u.audioPath}: `, '')}`;
  }
  const duration = Math.round(seconds * 1e4) / 1e4;
  if (!(duration > 0)) return 'the audio holds no samples';
  return { audio: relative(outDir, u.audioPath), text, duration, ...(u.speaker ? { speaker: u.speaker } : {}), id: u.id };
}

/** Imports a corpus: writes one manifest per split and import-report.txt into the output folder. */
export function importCorpus(o: ImportOptions): ImportSummary {
  const outDir = resolve(o.outDir ?? o.dir);
  const found = scan({ ...o, dir: resolve(o.dir) });
  const devShare = o.devShare ?? 0.05, testShare = o.testShare ?? 0.05;
  if (!(devShare >= 0 && testShare >= 0 && devShare + testShare < 1)) throw new Error(`dev share ${devShare} and test share ${testShare} must be >= 0 and sum to below 1`);
  let splits = found.splits;
  if (found.unsplit && devShare + testShare > 0) {
    splits = new Map();
    for (const list of found.splits.values()) {
      for (const u of list) {
        const s = splitOf(u.id, devShare, testShare);
        const into = splits.get(s);
        if (into) into.push(u);
        else splits.set(s, [u]);
      }
    }
  }
  const problems = [...found.problems];
  const total = [...splits.values()].reduce((a, l) => a + l.length, 0);
  let done = 0;
  const manifests: ImportedManifest[] = [];
  for (const [name, list] of [...splits.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const entries: ManifestEntry[] = [];
    for (const u of list) {
      const e = entryOf(u, outDir);
      if (typeof e === 'string') problems.push({ where: u.audioPath, reason: e });
      else entries.push(e);
      o.onProgress?.(++done, total);
    }
    const path = join(outDir, `${name}.jsonl`);
    writeManifest(path, entries);
    manifests.push({ name, path, utterances: entries.length, hours: entries.reduce((a, e) => a + e.duration, 0) / 3600 });
  }
  const reportPath = join(outDir, 'import-report.txt');
  const header = `# sayre corpus import ${o.layout} ${o.dir}: ${problems.length} item(s) left out (where<TAB>why)\n`;
  writeFileAtomic(reportPath, header + problems.map((p) => `${p.where}\t${p.reason}\n`).join(''));
  return { manifests, problems, reportPath };
}
