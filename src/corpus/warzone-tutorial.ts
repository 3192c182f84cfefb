/**
 * A small real-voice check set: the spoken tutorial of warzone2100-data (a human voice
 * actor, about 40 clips) with its on-screen text from script/tutorial.js as the transcript.
 * The on-screen text is the script, not a verbatim transcript, so a few words may differ
 * from what is said; use it as a check, never for training or tuning.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseWavHeader } from '../audio/wav-header.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ManifestEntry } from '../data/manifest.js';
import { writeManifest } from '../data/manifest.js';
import { normaliseText } from '../data/normalise-text.js';
import { runProcess } from './run-process.js';

/** Where warzone2100-data installs its archive. */
export const WARZONE_ARCHIVE = '/usr/share/games/warzone2100/base.wz';

/** One tutorial line: its audio clip and on-screen text. */
export interface TutorialLine {
  audio: string;
  message: string;
}

/** The tutorial lines of tutorial.js that have both a clip and a message. */
export function parseTutorialScript(js: string): TutorialLine[] {
  const out: TutorialLine[] = [];
  const re = /\{\s*"audio":\s*"([A-Za-z0-9_]+\.ogg)"[^{}]*?"message":\s*_\("((?:[^"\\]|\\.)*)"\)/g;
  for (const m of js.matchAll(re)) out.push({ audio: m[1]!, message: m[2]!.replace(/\\(.)/g, '$1') });
  return out;
}

/** Options of {@link importWarzoneTutorial}. */
export interface WarzoneOptions {
  outDir: string;
  /** The base.wz archive (a zip). Default {@link WARZONE_ARCHIVE}. */
  archive?: string;
  sampleRate?: number;
  /** Import at most this many clips (tests). */
  limit?: number;
}

/**
 * Extracts the tutorial clips as mono 16-bit WAVs under `outDir/audio/` and writes
 * `outDir/warzone-tutorial.jsonl`; returns the manifest entries. Needs unzip and sox
 * (with Ogg Vorbis support: libsox-fmt-all). Clips already there are kept.
 */
export async function importWarzoneTutorial(o: WarzoneOptions): Promise<ManifestEntry[]> {
  const archive = o.archive ?? WARZONE_ARCHIVE;
  const sampleRate = o.sampleRate ?? 16000;
  if (!existsSync(archive)) throw new Error(`${archive}: not found (apt-get install warzone2100-data)`);
  const script = await runProcess('unzip', ['-p', archive, 'script/tutorial.js']);
  const lines = parseTutorialScript(script.stdout).slice(0, o.limit);
  if (lines.length === 0) throw new Error(`${archive}: script/tutorial.js has no tutorial lines with audio and text`);
  mkdirSync(join(o.outDir, 'audio'), { recursive: true });
  const entries: ManifestEntry[] = [];
  for (const line of lines) {
    const { text, unmappable } = normaliseText(line.message);
    if (!text || unmappable.length) continue;
    const name = line.audio.replace(/\.ogg$/, '.wav');
    const path = join(o.outDir, 'audio', name);
    if (!existsSync(path)) {
      const ogg = `${path}.tmp.ogg`;
      const tmp = `${path}.tmp.wav`;
      try {
        // unzip -p writes binary to stdout; runProcess decodes text, so extract to a file instead.
        await runProcess('unzip', ['-o', '-j', archive, `audio/tutorial/${line.audio}`, '-d', join(o.outDir, 'audio')]);
        renameSync(join(o.outDir, 'audio', line.audio), ogg);
        await runProcess('sox', ['-D', ogg, '-r', String(sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer', tmp]);
        renameSync(tmp, path);
      } finally {
        rmSync(ogg, { force: true });
        rmSync(tmp, { force: true });
      }
    }
    const h = parseWavHeader(readFileSync(path), path);
    entries.push({
      audio: `audio/${name}`, text, duration: Number((h.dataBytes / h.blockAlign / h.sampleRate).toFixed(4)),
      voice: 'warzone2100:tutorial', speaker: 'warzone2100-tutorial', source: 'warzone2100-data script/tutorial.js',
    });
  }
  writeManifest(join(o.outDir, 'warzone-tutorial.jsonl'), entries);
  writeFileAtomic(join(o.outDir, 'README.txt'), 'Real-voice check set: the warzone2100-data tutorial (a human voice actor) with its on-screen\n'
    + 'text as transcript. For evaluation only: never train or tune on it.\n');
  return entries;
}
